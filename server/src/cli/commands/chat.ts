import { createInterface } from 'node:readline';
import { createActor, waitFor } from 'xstate';
import { type ChatMode, SendMessage } from '@revo/actors';
import type { Runtime } from '../../runtime/create-runtime';
import type { CliIo } from '../cli-io';
import { progressLine } from '../progress-printer';

const HELP = 'commands: /single /multi /workflow (mode), /agents a,b (or /agents auto), /decide <position>, /quit';

/**
 * A chat in the terminal: each line is a message to a conversation actor in the current mode.
 * Reads stdin line by line, so it also answers piped input and ends when the input does.
 */
export async function chatCommand(_args: string[], io: CliIo, runtime: Runtime): Promise<number> {
  const conversation = createActor(runtime.machines.conversation, {
    input: {
      conversationId: `chat-${Date.now().toString(36)}`,
      agents: runtime.agents,
      chains: runtime.chains,
      options: runtime.options,
    },
  }).start();
  const unsubscribe = runtime.events.subscribe((event) => {
    const line = progressLine(event);
    if (line && event.type !== 'workflow.created') io.out(line);
  });
  io.out(
    runtime.status.offlineOnly
      ? `reVo chat: offline model (no Ollama answered at ${runtime.status.ollamaBaseUrl}); answers are deterministic placeholders.`
      : `reVo chat: Ollama at ${runtime.status.ollamaBaseUrl} (${runtime.status.ollamaModels.join(', ') || 'no models listed'}).`,
  );
  io.out(HELP);
  /** Waits for the answer to the message sent when the conversation had `before` messages. */
  const showReply = async (before: number) => {
    const snap = await waitFor(
      conversation,
      (s) =>
        s.context.messages.length >= before + 2 || Boolean(s.children.turn?.getSnapshot().matches('awaitingHuman')),
      { timeout: Number.POSITIVE_INFINITY },
    );
    const reply = snap.context.messages[before + 1];
    if (!reply) {
      const options = snap.context.awaiting?.tally.map((t) => t.position).join(', ');
      return io.out(`The agents could not agree (${options}): type /decide <position> to settle it.`);
    }
    const cost = reply.usage ? ` · ${reply.usage.calls} calls · $${reply.usage.costUsd.toFixed(4)}` : '';
    io.out(`\nreVo [${reply.agents.join(', ')}${reply.offline ? ' · offline model' : ''}${cost}]\n${reply.content}\n`);
  };
  let pendingFrom = 0;
  let mode: ChatMode = 'single';
  let agents: string[] | undefined;
  const rl = createInterface({ input: process.stdin, terminal: io.interactive });
  const prompt = () =>
    io.interactive && process.stdout.write(`you (${mode}${agents ? `: ${agents.join(',')}` : ''})> `);
  prompt();
  for await (const raw of rl) {
    const line = raw.trim();
    if (line === '/quit' || line === '/exit') break;
    if (line === '') {
      prompt();
      continue;
    }
    if (['/single', '/multi', '/workflow'].includes(line)) mode = line.slice(1) as ChatMode;
    else if (line.startsWith('/agents')) {
      const list = line.slice(7).trim();
      agents = list === '' || list === 'auto' ? undefined : list.split(',').map((a) => a.trim());
      const unknown = agents?.filter((a) => !runtime.agents.some((x) => x.id === a)) ?? [];
      if (unknown.length > 0) {
        io.err(`unknown agent ${unknown.join(', ')}; known: ${runtime.agents.map((a) => a.id).join(', ')}`);
        agents = undefined;
      }
    } else if (line.startsWith('/decide ')) {
      const conflict = conversation.getSnapshot().context.awaiting;
      if (conflict) {
        conversation.send({
          type: 'conflict.decide',
          conflictId: conflict.id,
          position: line.slice(8).trim(),
          by: 'you',
        });
        await showReply(pendingFrom);
      } else io.err('nothing is waiting for a decision');
    } else if (line.startsWith('/')) io.out(HELP);
    else {
      const message = SendMessage.safeParse({ text: line, mode, agents });
      if (!message.success) io.err(message.error.issues.map((i) => i.message).join('; '));
      else {
        pendingFrom = conversation.getSnapshot().context.messages.length;
        conversation.send({ type: 'message.send', ...message.data });
        await showReply(pendingFrom);
      }
    }
    prompt();
  }
  rl.close();
  unsubscribe();
  conversation.stop();
  return 0;
}
