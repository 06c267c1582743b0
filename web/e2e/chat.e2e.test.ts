import type { Page } from 'playwright-core';
import { afterAll, expect, it } from 'vitest';
import { describeInBrowser, phone } from './browser';
import { graphql } from './stack';

describeInBrowser('the web app in a browser', (session) => {
  const { open, step, pageErrors } = session;
  const conversations: Record<'single' | 'multi', string | null> = { single: null, multi: null };

  /** The chat loaded and live: the server says the offline model answers. */
  async function openChat(path = '/chat'): Promise<Page> {
    const page = await open(path);
    await step(page, 'open-chat', () => page.getByTestId('offline-badge').waitFor());
    return page;
  }

  const composerState = (page: Page) => page.getByTestId('composer').getAttribute('data-state');
  /** The window as it is (the chat scrolls inside itself). */
  const shot = (page: Page, name: string) => session.shot(page, name, false);
  const idOf = (page: Page) => new URL(page.url()).searchParams.get('c');

  it('streams an answer token by token, labels the offline model and shows its cost', async () => {
    const page = await openChat();
    let tokenFrames = 0;
    page.on('websocket', (socket) =>
      socket.on('framereceived', ({ payload }) => {
        if (String(payload).includes('"agent.token"')) tokenFrames++;
      }),
    );
    // Reload so the socket listener sees the app's WebSocket from its start.
    await page.reload();
    await page.getByTestId('offline-badge').waitFor();

    // Every change of the streaming answer, with when it happened.
    await page.evaluate(() => {
      const samples: { at: number; text: string }[] = [];
      (window as unknown as { samples: typeof samples }).samples = samples;
      new MutationObserver(() => {
        const text = document.querySelector('[data-testid="streaming-answer"] .rich-text')?.textContent ?? '';
        if (text && text !== samples.at(-1)?.text) samples.push({ at: performance.now(), text });
      }).observe(document.body, { subtree: true, childList: true, characterData: true });
    });

    const input = page.getByLabel('Message');
    await input.fill('Write a function that adds two numbers');
    await expect.poll(() => page.getByTestId('selection-preview').textContent()).toContain('Code generator');
    await input.press('Enter');

    const answer = page.getByTestId('assistant-message').last();
    await answer.waitFor();
    await expect.poll(() => composerState(page)).toBe('idle');
    conversations.single = idOf(page);

    const samples = await page.evaluate(
      () => (window as unknown as { samples: { at: number; text: string }[] }).samples,
    );
    const lengths = samples.map((s) => s.text.length);
    const grew = lengths.filter((n, i) => i > 0 && n > (lengths[i - 1] as number)).length;
    expect(grew, `streamed lengths: ${lengths.join(', ')}`).toBeGreaterThanOrEqual(3);
    expect(samples.at(-1)?.at ?? 0).toBeGreaterThan(samples[0]?.at ?? 0);
    expect(tokenFrames).toBeGreaterThanOrEqual(10);

    // It ends with the whole answer, as the server stored it.
    const { conversation } = await graphql<{ conversation: { messages: { role: string; content: string }[] } }>(
      session.stack.apiUrl,
      'query($id: ID!) { conversation(id: $id) { messages { role content } } }',
      { id: conversations.single },
    );
    const stored = conversation.messages.at(-1)?.content ?? '';
    const squash = (text: string) =>
      text
        .replace(/^```\w*$/gm, '')
        .replace(/\s+/g, ' ')
        .trim();
    expect(stored).toMatch(/^\[offline model\] Implementation for "Write a function that adds two numbers"/);
    // textContent runs blocks together: compare without spaces.
    const bare = (text: string | null | undefined) => squash(text ?? '').replace(/ /g, '');
    expect(bare(await answer.locator('.message__content').textContent())).toBe(bare(stored));
    // The stream started with a piece of it and ended with all of it.
    expect(bare(stored).startsWith(bare(samples[0]?.text))).toBe(true);
    expect(bare(samples[0]?.text).length).toBeLessThan(bare(stored).length / 2);
    expect(bare(samples.at(-1)?.text)).toBe(bare(stored));

    const meta = answer.getByTestId('message-meta');
    // The offline badge can show before the model and the cost are drawn: wait for the whole line.
    await expect
      .poll(() => meta.textContent())
      .toMatch(/Code generator[\s\S]*revo-offline[\s\S]*\$0\.00 · 1 call · 100% local/);
    expect(await meta.textContent()).toMatch(/offline model/);

    // Thumbs up with a comment reaches the server.
    await answer.getByRole('button', { name: 'Good answer' }).click();
    await answer.getByLabel('Comment (optional)').fill('clear and short');
    await answer.getByLabel('Comment (optional)').press('Enter');
    await answer.getByText('Thanks, your feedback is recorded.').waitFor();

    await shot(page, 'chat-single');
    await page.close();
  }, 90_000);

  it('shows a disagreement round by round with the vote, and carries on after the person decides', async () => {
    const page = await openChat();
    await page.getByRole('radio', { name: 'Multi-agent' }).check();
    const picker = page.getByTestId('agent-picker');
    await picker.getByRole('button', { name: /^Agents:/ }).click();
    for (const agent of ['Architect', 'Performance engineer', 'Security reviewer']) {
      await picker.getByLabel(agent).check();
    }
    await expect
      .poll(() => picker.locator('.agent-picker__summary').textContent())
      .toBe('Agents: Architect, Performance engineer, Security reviewer');
    await page.getByLabel('Message').fill('Compare REST, GraphQL and gRPC for the public API');
    await page.getByLabel('Message').press('Enter');

    const live = page.getByTestId('live-turn');
    const decision = live.getByTestId('decision');
    await decision.waitFor();
    await expect.poll(() => composerState(page)).toBe('awaitingDecision');

    // Side by side, every answer in the conflict, with its position.
    const cards = live.getByTestId('agent-answer');
    expect(await cards.count()).toBe(3);
    expect(await live.locator('[data-testid="agent-answer"][data-conflict]').count()).toBe(3);
    for (const position of ['rest', 'grpc', 'graphql']) {
      expect(await cards.locator('.answer-card__footer').getByText(position, { exact: true }).count()).toBe(1);
    }
    // The discussion as it went: both rounds with every stance, then the vote.
    const rounds = live.getByTestId('discussion-round');
    expect(await rounds.count()).toBe(2);
    expect(await rounds.nth(1).locator('.stance').count()).toBe(3);
    const tally = live.getByTestId('vote-tally');
    expect(await tally.locator('.tally__row').count()).toBe(3);
    expect(await tally.textContent()).toMatch(/rest\s*0\.90\s*Architect/);
    const options = await decision
      .locator('button')
      .evaluateAll((buttons) => buttons.map((b) => b.getAttribute('data-position')));
    expect(options.sort()).toEqual(['graphql', 'grpc', 'rest']);
    await decision.scrollIntoViewIfNeeded();
    await shot(page, 'chat-disagreement');

    await decision.locator('[data-position="graphql"]').click();
    const answer = page.getByTestId('assistant-message').filter({ hasText: 'Decision: graphql (decided by a person)' });
    await answer.waitFor();
    await expect.poll(() => composerState(page)).toBe('idle');
    expect(await answer.getByTestId('conflict-outcome').textContent()).toMatch(/You decided on\s*graphql/);
    expect(await answer.getByTestId('conflict').getAttribute('data-status')).toBe('RESOLVED');
    conversations.multi = idOf(page);

    const { conversation } = await graphql<{ conversation: { status: string; messages: { content: string }[] } }>(
      session.stack.apiUrl,
      'query($id: ID!) { conversation(id: $id) { status messages { content } } }',
      { id: conversations.multi },
    );
    expect(conversation.status).toBe('IDLE');
    expect(conversation.messages.at(-1)?.content).toMatch(/^Decision: graphql \(decided by a person\)/);
    await shot(page, 'chat-decided');
    await page.close();
  }, 90_000);

  it('draws every page, on a desktop and on a phone', async () => {
    const page = await openChat(`/chat?c=${conversations.multi ?? ''}`);
    await page.getByTestId('assistant-message').first().waitFor();
    // A reloaded conversation shows the same panel, fetched with workflow(runId).
    await page.getByTestId('assistant-message').last().getByTestId('vote-tally').waitFor();
    await shot(page, 'page-chat');
    for (const [path, title] of [
      ['/workflows', 'Workflows'],
      ['/builder', 'Builder'],
      ['/inspector', 'Inspector'],
      ['/analytics', 'Analytics'],
    ] as const) {
      const link = page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: title });
      await link.click();
      await page.waitForURL((url) => url.pathname === path);
      await expect.poll(() => link.getAttribute('aria-current')).toBe('page');
      // Whatever the page is now (a placeholder or the real one): drawn, loaded, not failed.
      const main = page.locator('#main');
      await main.locator('h1, h2').first().waitFor();
      await expect.poll(() => main.locator('.state--loading').count()).toBe(0);
      expect(await main.getByText('This page failed').count()).toBe(0);
      await shot(page, `page-${path.slice(1)}`);
    }
    // The keyboard: `?` lists the shortcuts, Esc closes the dialog.
    await page.keyboard.press('?');
    const dialog = page.getByRole('dialog', { name: 'Keyboard shortcuts' });
    await dialog.waitFor();
    expect(await dialog.textContent()).toContain('new conversation');
    await shot(page, 'dialog-shortcuts');
    await page.keyboard.press('Escape');
    await dialog.waitFor({ state: 'hidden' });
    await page.close();

    const small = await open(`/chat?c=${conversations.single ?? ''}`, phone);
    await small.getByTestId('assistant-message').waitFor();
    // Nothing is wider than the screen.
    expect(await small.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(phone.width);
    await shot(small, 'phone-chat');
    await small.getByRole('button', { name: /Conversations/ }).click();
    await small.getByTestId('conversation-list').getByRole('button', { name: '+ New' }).waitFor();
    await expect.poll(() => small.locator('.chat__sidebar').evaluate((e) => e.getBoundingClientRect().left)).toBe(0);
    await shot(small, 'phone-conversations');
    await small.close();
  }, 90_000);

  it('says it is reconnecting while the server is down and resubscribes when it is back', async () => {
    const page = await openChat(`/chat?c=${conversations.single ?? ''}`);
    await page.getByTestId('assistant-message').waitFor();
    await session.stack.stopServer();
    const banner = page.getByTestId('connection-banner');
    await banner.waitFor();
    expect(await banner.textContent()).toMatch(/Reconnecting to reVo/);
    await shot(page, 'chat-reconnecting');

    await session.stack.startServer();
    await step(page, 'reconnected', () => banner.waitFor({ state: 'detached', timeout: 30_000 }));
    // The server kept its state in memory: the resubscribed conversation is gone, and the list,
    // fetched again after the reconnect, is empty.
    await step(page, 'resubscribed', () => page.getByText('This conversation is gone').waitFor());
    await step(page, 'refetched', () =>
      page.getByTestId('conversation-list').getByText('No conversations yet').waitFor(),
    );

    await page.getByTestId('conversation-list').getByRole('button', { name: '+ New' }).click();
    await page.getByLabel('Message').fill('Write a function that adds two numbers');
    await page.getByLabel('Message').press('Enter');
    await page.getByTestId('assistant-message').filter({ hasText: '[offline model] Implementation' }).waitFor();
    await page.close();
  }, 120_000);

  afterAll(() => {
    expect(pageErrors, 'errors thrown in the page').toEqual([]);
  });
});
