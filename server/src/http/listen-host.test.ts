import { describe, expect, it } from 'vitest';
import { listenHost } from './start-revo-server';

describe('listenHost', () => {
  it('listens on loopback only when no API token is set', () => {
    expect(listenHost({ HOST: undefined, REVO_API_TOKEN: undefined })).toBe('127.0.0.1');
    expect(listenHost({ HOST: '::1', REVO_API_TOKEN: undefined })).toBe('::1');
  });

  it('refuses to expose the API without a token, and says what to do', () => {
    expect(() => listenHost({ HOST: '0.0.0.0', REVO_API_TOKEN: undefined })).toThrow(/set REVO_API_TOKEN/);
  });

  it('listens on every interface by default once a token is set', () => {
    expect(listenHost({ HOST: undefined, REVO_API_TOKEN: 'a-long-enough-secret' })).toBe('0.0.0.0');
  });
});
