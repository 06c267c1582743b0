import { memo } from 'react';
import { inlineParts, toBlocks } from '@/lib/text-blocks';

/** An agent's answer: paragraphs, `inline code` and fenced code blocks, rendered as elements. */
export const RichText = memo(function RichText({ text, className }: { text: string; className?: string }) {
  const blocks = toBlocks(text);
  return (
    <div className={className ? `rich-text ${className}` : 'rich-text'}>
      {blocks.map((block, index) =>
        block.kind === 'code' ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: blocks have no identity but their place.
          <pre key={index} className="rich-text__code" data-lang={block.lang || undefined}>
            <code>{block.text}</code>
          </pre>
        ) : (
          // biome-ignore lint/suspicious/noArrayIndexKey: blocks have no identity but their place.
          <p key={index}>
            {inlineParts(block.text).map((part, i) =>
              // biome-ignore lint/suspicious/noArrayIndexKey: parts have no identity but their place.
              part.code ? <code key={i}>{part.text}</code> : part.text,
            )}
          </p>
        ),
      )}
    </div>
  );
});
