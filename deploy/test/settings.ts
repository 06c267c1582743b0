import { Env } from '../../server/src/env';

/** reVo's settings: the keys of the `Env` schema in server/src/env.ts. */
export const SETTINGS = new Set(Object.keys(Env.shape));

/**
 * Variables in a reVo container that are not reVo settings: passwords from the Secret, there only
 * to be spelled into REDIS_URL and CLICKHOUSE_URL with `$(NAME)`. reVo ignores them.
 */
export const URL_PARTS = new Set(['REDIS_PASSWORD', 'CLICKHOUSE_PASSWORD']);
