/**
 * A push-to-pull queue for subscriptions: producers push, the GraphQL subscription pulls. A consumer
 * that falls `maxBuffered` items behind is ended with an error rather than letting memory grow.
 */
export function createAsyncFeed<T>(options: { maxBuffered?: number; onClose?: () => void } = {}) {
  const maxBuffered = options.maxBuffered ?? 10_000;
  const buffer: T[] = [];
  let waiting: ((result: IteratorResult<T>) => void) | undefined;
  let failWaiting: ((error: unknown) => void) | undefined;
  let done = false;
  let failure: unknown;
  const close = () => {
    if (done) return;
    done = true;
    options.onClose?.();
  };
  const iterator: AsyncIterableIterator<T> = {
    next() {
      if (buffer.length > 0) return Promise.resolve({ value: buffer.shift() as T, done: false });
      if (failure !== undefined) {
        const error = failure;
        failure = undefined;
        return Promise.reject(error);
      }
      if (done) return Promise.resolve({ value: undefined, done: true });
      return new Promise((resolve, reject) => {
        waiting = resolve;
        failWaiting = reject;
      });
    },
    return() {
      close();
      buffer.length = 0;
      waiting?.({ value: undefined, done: true });
      waiting = undefined;
      return Promise.resolve({ value: undefined, done: true });
    },
    [Symbol.asyncIterator]() {
      return iterator;
    },
  };
  return {
    iterator,
    push(item: T) {
      if (done) return;
      if (waiting) {
        const resolve = waiting;
        waiting = undefined;
        resolve({ value: item, done: false });
        return;
      }
      if (buffer.length >= maxBuffered) {
        this.fail(new Error(`the subscriber fell more than ${maxBuffered} events behind and was disconnected`));
        return;
      }
      buffer.push(item);
    },
    /** Ends the feed after what is buffered. */
    end() {
      close();
      if (waiting && buffer.length === 0) {
        waiting({ value: undefined, done: true });
        waiting = undefined;
      }
    },
    fail(error: unknown) {
      if (done) return;
      close();
      buffer.length = 0;
      if (failWaiting) {
        failWaiting(error);
        waiting = undefined;
        failWaiting = undefined;
      } else failure = error;
    },
    get closed() {
      return done;
    },
  };
}

export type AsyncFeed<T> = ReturnType<typeof createAsyncFeed<T>>;
