import { describe, expect, it } from 'vitest';
import { cacheControlFor } from './static-frontend.plugin.js';

describe('cacheControlFor', () => {
  it('caches content-hashed assets forever', () => {
    expect(cacheControlFor('/srv/assets/index-BzX81qk2.js')).toBe('public, max-age=31536000, immutable');
    expect(cacheControlFor('/srv/assets/logo.4f9a2c1d7e.svg')).toBe('public, max-age=31536000, immutable');
  });

  it('revalidates the entry page, the runtime config and unhashed files', () => {
    expect(cacheControlFor('/srv/index.html')).toBe('no-cache');
    expect(cacheControlFor('/srv/config.js')).toBe('no-cache');
    expect(cacheControlFor('/srv/favicon.ico')).toBe('no-cache');
  });
});
