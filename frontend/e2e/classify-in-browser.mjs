// A person's path through the page, in Debian's Chromium driven by playwright-core:
// paste a link, watch the progress, read the result bars; upload a file; see a refused link's message.
// Used by tests/e2e/test_browser.py against a running stack. Env: BASE_URL, AUDIO_URL, UPLOAD_FILE, SHOTS_DIR.
import assert from 'node:assert/strict';
import { chromium } from 'playwright-core';

const { BASE_URL, AUDIO_URL, UPLOAD_FILE, SHOTS_DIR } = process.env;
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
const shot = (page, name) => page.screenshot({ path: `${SHOTS_DIR}/${name}.png`, fullPage: true });

async function expectResult(page) {
  const result = page.getByTestId('result');
  await result.waitFor({ timeout: 60_000 });
  const bars = page.getByTestId('prob-bar');
  assert.equal(await bars.count(), 10, 'one bar per genre');
  const probabilities = await bars.evaluateAll((els) => els.map((el) => Number(el.dataset.probability)));
  const total = probabilities.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(total - 1) < 1e-3, `bars sum to 1, got ${total}`);
  assert.deepEqual(probabilities, [...probabilities].sort((a, b) => b - a), 'bars sorted, most likely first');
  const top = (await page.getByTestId('top-genre').innerText()).trim().toLowerCase();
  const firstGenre = await bars.first().getAttribute('data-genre');
  assert.equal(top, firstGenre, 'the top genre heads the bars');
  return top;
}

try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });

  // 1. A link.
  await page.goto(BASE_URL);
  await page.getByTestId('model-card').waitFor();
  await page.getByTestId('url-input').fill(AUDIO_URL);
  await page.getByTestId('submit-url').click();
  await page.getByTestId('job-state').waitFor();
  const top = await expectResult(page);
  assert.match(page.url(), /[?&]job=[0-9a-f]+/, 'the job id is kept in the address');
  await shot(page, 'result-link');

  // A reload of that address shows the same result (shareable, bookmarkable).
  await page.reload();
  assert.equal(await expectResult(page), top);

  // 2. A file.
  await page.goto(BASE_URL);
  await page.getByTestId('file-input').setInputFiles(UPLOAD_FILE);
  await expectResult(page);
  await shot(page, 'result-upload');

  // 3. A link the server refuses: its message, in words.
  await page.goto(BASE_URL);
  await page.getByTestId('url-input').fill('https://example.com/song.mp3');
  await page.getByTestId('submit-url').click();
  const error = page.getByTestId('error');
  await error.waitFor();
  assert.equal(await error.getAttribute('data-code'), 'url_not_allowed');
  assert.match(await error.innerText(), /not accepted/);
  await shot(page, 'error-not-allowed');

  // 4. The phone-width layout still shows the form.
  await page.setViewportSize({ width: 390, height: 800 });
  await page.goto(BASE_URL);
  assert.ok(await page.getByTestId('url-input').isVisible());
  console.log(`browser checks passed (top genre of the clip: ${top})`);
} finally {
  await browser.close();
}
