import { createMemoryCallJournal, createMemoryEventBus, createMemoryRunStore } from '@revo/actors';
import { callJournalContract } from '../testing/contracts/call-journal-contract';
import { eventBusContract } from '../testing/contracts/event-bus-contract';
import { runStoreContract } from '../testing/contracts/run-store-contract';

const nothing = async () => {};

runStoreContract('memory run store', async () => ({ store: createMemoryRunStore(), cleanup: nothing }));
eventBusContract('memory event bus', async () => {
  const errors: unknown[] = [];
  const bus = createMemoryEventBus({ onListenerError: (error) => errors.push(error) });
  return { bus, cleanup: () => bus.close(), listenerErrors: () => errors };
});
callJournalContract('memory call journal', async () => ({ journal: createMemoryCallJournal(), cleanup: nothing }));
