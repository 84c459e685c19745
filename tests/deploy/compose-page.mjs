// The page as the compose stack serves it (nginx on the frontend container), in Debian's Chromium via
// playwright-core: it loads, an uploaded file is classified (bars, top genre, timeline), and the Model page
// shows the model card that the API serves. Used by tests/deploy/test_compose_stack.py.
// Env: BASE_URL, UPLOAD_FILE, SHOT (a PNG path), CHROMIUM, PLAYWRIGHT_CORE (the package's folder).
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const { BASE_URL, UPLOAD_FILE, SHOT, PLAYWRIGHT_CORE } = process.env;
const { chromium } = createRequire(import.meta.url)(PLAYWRIGHT_CORE);

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));

  const response = await page.goto(BASE_URL);
  assert.equal(response.status(), 200, 'nginx serves the page');
  await page.getByTestId('file-input').setInputFiles(UPLOAD_FILE);
  const state = page.getByTestId('job-state');
  await state.waitFor({ timeout: 30_000 });
  await page.waitForFunction(
    () => ['done', 'failed', 'unknown'].includes(document.querySelector('[data-testid="job-state"]')?.dataset.state),
    null,
    { timeout: 180_000 },
  );
  assert.equal(await state.getAttribute('data-state'), 'done', 'the upload is classified');
  await page.getByTestId('result').waitFor();
  assert.equal(await page.getByTestId('prob-bar').count(), 10, 'one bar per genre');
  const top = (await page.getByTestId('top-genre').innerText()).trim().toLowerCase();
  assert.equal(top, await page.getByTestId('prob-bar').first().getAttribute('data-genre'), 'the top genre heads the bars');
  await page.getByTestId('timeline').waitFor();
  assert.ok((await page.getByTestId('timeline-window').count()) >= 5, 'a timeline of windows');
  await page.screenshot({ path: SHOT, fullPage: true });

  await page.getByTestId('nav-model').click();
  await page.getByTestId('confusion-matrix').waitFor();
  const model = await (await page.request.get(`${BASE_URL}/models/current`)).json();
  assert.equal(await page.getByTestId('f1-bar').count(), model.labels.length, 'the Model page shows the served card');

  assert.deepEqual(pageErrors, [], 'no errors on the page');
  console.log(`compose page checks passed: top genre ${top}`);
} finally {
  await browser.close();
}
