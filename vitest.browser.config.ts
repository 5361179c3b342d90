import { defineConfig } from 'vitest/config';

// `npm run test:browser`: the local workspace in Debian's Chromium, driven by playwright-core.
export default defineConfig({
  test: {
    include: ['test/browser/**/*.browser.ts'],
    environment: 'node',
    fileParallelism: false,
    testTimeout: 300_000,
    hookTimeout: 180_000,
  },
});
