import { redactSecrets, redactUri, secretsOf } from '../../../core/config/redact-uri.js';

describe('redacting Redis URIs', () => {
  it.each([
    ['redis://127.0.0.1:6379', 'redis://127.0.0.1:6379'],
    ['redis://:s3cret@host:6379/0', 'redis://:***@host:6379/0'],
    ['redis://app:s3cret@host:6380', 'redis://app:***@host:6380'],
    ['rediss://app@host', 'rediss://app@host'],
    ['redis://:p%40ss@host', 'redis://:***@host'],
    [undefined, '(no uri)'],
    ['not a uri', '(unparseable uri)'],
  ])('%s → %s', (uri, shown) => {
    expect(redactUri(uri)).toBe(shown);
  });

  it('masks the password, raw and decoded, wherever it appears in a text', () => {
    const secrets = secretsOf('redis://app:p%40ss@host');
    expect(secrets).toEqual(['p%40ss', 'p@ss']);
    expect(redactSecrets('AUTH app p@ss failed (p%40ss)', secrets)).toBe(
      'AUTH app *** failed (***)',
    );
  });
});
