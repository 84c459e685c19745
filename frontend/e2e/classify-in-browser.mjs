// A person's path through the page, in Debian's Chromium driven by playwright-core, against the
// running stack: paste a link, watch the progress, read the result bars and the timeline, click
// the timeline; open the Model page; upload a file and play it from the timeline; see a refused
// link's message; find both results under "recent"; the phone-width layout; the YouTube embed's
// postMessage wiring against a stand-in player (the machine running this has no internet); and a
// stand-in screened result whose silence and speech windows are left out of the genre; the song's tags as
// labelled chips ranked against the reference songs (or the line saying the model gives none); a podcast feed pasted as
// a link, shown as a playlist whose table fills in, with its CSV download; the API docs, with nothing loaded
// from another host.
// Used by tests/e2e/test_browser.py. Env: BASE_URL, AUDIO_URL, UPLOAD_FILE, FEED_URL, SHOTS_DIR, CHROMIUM.
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { chromium } from 'playwright-core';

const { BASE_URL, AUDIO_URL, UPLOAD_FILE, FEED_URL, SHOTS_DIR } = process.env;
const YOUTUBE_ID = 'dQw4w9WgXcQ';

const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync'],
});

/** A screenshot of the page, the whole of it or what the viewport shows, under SHOTS_DIR. */
const shot = (page, name, fullPage = true) => page.screenshot({ path: `${SHOTS_DIR}/${name}.png`, fullPage });

/** Follows the job's state until it is done; returns the states seen, in order. */
async function followProgress(page) {
  const state = page.getByTestId('job-state');
  await state.waitFor({ timeout: 30_000 });
  const seen = [];
  const deadline = Date.now() + 90_000;
  for (;;) {
    const current = await state.getAttribute('data-state');
    if (seen.at(-1) !== current) seen.push(current);
    if (current === 'done' || current === 'failed' || current === 'unknown') break;
    assert.ok(Date.now() < deadline, `job still ${current} after 90 s`);
    await page.waitForTimeout(100);
  }
  assert.equal(seen.at(-1), 'done', `the job ends done (states seen: ${seen.join(' → ')})`);
  return seen;
}

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

/** The timeline: one click target per window (as many as the result says), a legend of 10 genres. */
async function expectTimeline(page) {
  await page.getByTestId('timeline').waitFor();
  const windowsText = await page.getByTestId('windows').innerText(); // "10 × 3 s"
  const windowCount = Number(windowsText.split('×')[0].trim());
  assert.ok(windowCount >= 5, `a 30-s clip has several windows, got "${windowsText}"`);
  assert.equal(await page.getByTestId('timeline-window').count(), windowCount, 'one timeline column per window');
  assert.equal(await page.locator('.timeline-layer').count(), 10, 'one stacked layer per genre');
  assert.equal(await page.getByTestId('legend').locator('li').count(), 10, 'every genre in the legend');
  return windowCount;
}

/** Clicks window `index` of the timeline and checks it is selected and described. */
async function clickWindow(page, index) {
  const target = page.getByTestId('timeline-window').nth(index);
  const start = Number(await target.getAttribute('data-start'));
  await target.click();
  await page.waitForFunction(
    (i) => document.querySelector('[data-testid="timeline-selection"]')?.getAttribute('data-index') === String(i),
    index,
  );
  const detail = page.getByTestId('window-detail');
  assert.equal(await detail.getAttribute('data-index'), String(index), 'the clicked window is described');
  const kind = await target.getAttribute('data-kind');
  if (kind === 'music') {
    assert.equal(await detail.locator('li').count(), 3, "the window's three most likely genres");
  } else {
    // A window left out of the genre (silence, speech or noise) says so instead of listing genres.
    assert.equal(await detail.getAttribute('data-kind'), kind, 'the detail names the kind of a left-out window');
    await page.getByTestId('window-left-out').waitFor();
  }
  return start;
}

/** The groups of tag chips, as the page heads them. */
const TAG_GROUPS = [
  ['style', 'Sounds like'],
  ['era', 'Era'],
  ['mood', 'Mood'],
  ['voice_instrument', 'Voice & instruments'],
];

/**
 * The result's tags as the API sent them for job `jobId`: a chip per tag in a list named by its group, each with
 * its screen-reader label and its rank ("top N %"), never its raw score; the outside-the-ten note exactly when
 * the result says so; or, for a model without tags, the line saying so. Returns how many chips there are.
 */
async function expectTags(page, jobId) {
  const { result } = await (await page.request.get(`${BASE_URL}/jobs/${jobId}`)).json();
  const chips = page.getByTestId('tag-chip');
  if (result.tags === null || result.tags === undefined) {
    assert.equal(await page.getByTestId('tags-none').innerText(), 'This model gives no tags.');
    assert.equal(await chips.count(), 0, 'no chips for a model without tags');
    return 0;
  }
  const { tags } = result;
  assert.equal(await chips.count(), tags.tags.length, 'one chip per tag the result lists');
  if (tags.tags.length === 0) await page.getByTestId('tags-empty').waitFor();
  for (const [group, heading] of TAG_GROUPS) {
    const expected = tags.tags.filter((tag) => tag.group === group);
    const list = page.getByRole('list', { name: heading, exact: true });
    if (expected.length === 0) {
      assert.equal(await list.count(), 0, `no "${heading}" list without its tags`);
      continue;
    }
    const labels = await list.getByRole('listitem').evaluateAll((els) => els.map((el) => el.getAttribute('aria-label')));
    const top = (tag) => Math.max(1, Math.round(100 - tag.percentile));
    assert.deepEqual(
      labels,
      expected.map((tag) => `${tag.label}, top ${top(tag)} percent of reference songs`),
      `the "${heading}" chips, strongest first, named for screen readers`,
    );
    for (const tag of expected) {
      const chip = list.getByRole('listitem', { name: `${tag.label}, top ${top(tag)} percent of reference songs`, exact: true });
      assert.ok(await chip.isVisible(), `the ${tag.label} chip is visible`);
      assert.match(await chip.innerText(), new RegExp(`top ${top(tag)} %`), `the ${tag.label} chip shows its rank`);
      assert.match(await chip.getAttribute('title'), /^Scores (higher than [\d.]+ %|at least as high as all) of the /);
    }
  }
  const words = await page.getByTestId('result').innerText();
  for (const tag of tags.tags) {
    for (const raw of [String(tag.score), `${(tag.score * 100).toFixed(1)}%`]) {
      assert.ok(!words.includes(raw), `the raw score of ${tag.tag} (${raw}) is not shown`);
    }
  }
  const note = page.getByRole('note', { name: 'Outside the ten genres' });
  assert.equal(await note.count(), tags.outside_known_genres.outside ? 1 : 0, 'the outside-the-ten note as the result says');
  if (tags.outside_known_genres.outside) assert.ok((await note.innerText()).includes(tags.outside_known_genres.message));
  return tags.tags.length;
}

const mmss = (seconds) => `${Math.floor(seconds / 60)}:${String(Math.round(seconds) % 60).padStart(2, '0')}`;

try {
  const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
  const page = await context.newPage();
  const pageErrors = [];
  page.on('pageerror', (error) => pageErrors.push(String(error)));

  // 1. A link: progress, result bars, timeline; click the timeline, then move with the keyboard.
  await page.goto(BASE_URL);
  await page.getByTestId('url-input').fill(AUDIO_URL);
  await page.getByTestId('submit-url').click();
  const states = await followProgress(page);
  const top = await expectResult(page);
  const linkUrl = page.url();
  const linkJob = new URL(linkUrl).searchParams.get('job');
  assert.match(linkJob ?? '', /^[0-9a-f]+$/, 'the job id is kept in the address');
  const windowCount = await expectTimeline(page);
  const linkChips = await expectTags(page, linkJob);
  assert.equal(await page.getByTestId('timeline-playhead').count(), 0, 'no player, no playhead, for a plain link');
  const start = await clickWindow(page, 4);
  assert.equal(await page.getByTestId('window-time').innerText(), `${mmss(start)}–${mmss(start + 3)}`);
  await page.getByTestId('timeline-chart').focus();
  await page.keyboard.press('ArrowRight');
  assert.equal(await page.getByTestId('timeline-selection').getAttribute('data-index'), '5', 'arrow keys move the selection');
  await page.keyboard.press('End');
  assert.equal(await page.getByTestId('timeline-selection').getAttribute('data-index'), String(windowCount - 1));
  assert.match(await page.getByTestId('timeline-chart').getAttribute('aria-valuetext'), /^Window \d+ of \d+, /);
  await clickWindow(page, 4);
  await page.mouse.move(0, 0);
  await shot(page, 'result-link');

  // A reload of that address shows the same result (shareable, bookmarkable).
  await page.reload();
  assert.equal(await expectResult(page), top);

  // 2. The Model page, from the navigation: facts, scores, F1 bars, confusion matrix with genre names.
  await page.getByTestId('nav-model').click();
  await page.getByTestId('confusion-matrix').waitFor();
  assert.match(page.url(), /[?&]view=model/);
  const model = await (await page.request.get(`${BASE_URL}/models/current`)).json();
  const labels = model.labels;
  assert.equal(await page.getByTestId('f1-bar').count(), labels.length, 'one F1 bar per genre');
  const cells = page.getByTestId('confusion-cell');
  assert.equal(await cells.count(), labels.length * labels.length, 'a full matrix');
  const diagonal = await page
    .locator(`[data-testid="confusion-cell"][data-true="${labels[1]}"][data-predicted="${labels[1]}"]`)
    .innerText();
  assert.equal(Number(diagonal), model.metrics.confusion_matrix[1][1], 'counts come from the manifest');
  const rowHeaders = await page.locator('[data-testid="confusion-matrix"] tbody th').allInnerTexts();
  assert.deepEqual(rowHeaders.map((text) => text.trim().toLowerCase()), labels, 'genre names on the rows');
  assert.match(await page.getByTestId('model-accuracy').innerText(), /%/);
  // Where the tags come from and what they are ranked against, or that the model gives none.
  const modelTags = page.getByTestId('model-tags');
  assert.equal(await modelTags.getAttribute('data-tags'), String(Boolean(model.outputs?.tags)), 'the Tags section fits the model');
  if (model.outputs?.tags) {
    assert.match(await modelTags.innerText(), /Million Song Dataset/);
    const reference = model.outputs.tag_reference;
    assert.ok((await page.getByTestId('model-tags-reference').innerText()).includes(`Reference: ${reference.songs.toLocaleString('en-US')} songs, ${reference.description}`));
  } else {
    assert.equal(await modelTags.innerText(), 'This model gives no tags: only the genre.');
  }
  await shot(page, 'model');
  await page.goBack();
  await page.getByTestId('result').waitFor();

  // 3. A file: uploaded, classified, playable; a timeline click seeks the audio and moves the playhead.
  await page.goto(BASE_URL);
  await page.getByTestId('file-input').setInputFiles(UPLOAD_FILE);
  await followProgress(page);
  await expectResult(page);
  await expectTimeline(page);
  const uploadJob = new URL(page.url()).searchParams.get('job');
  const uploadChips = await expectTags(page, uploadJob);
  if (model.outputs?.tags) assert.ok(linkChips + uploadChips > 0, 'a classified clip shows its tags as chips');
  const audio = page.getByTestId('audio-player');
  await audio.waitFor();
  await page.waitForFunction(() => document.querySelector('[data-testid="audio-player"]')?.readyState >= 1, null, {
    timeout: 15_000,
  });
  const seekTo = await clickWindow(page, 6);
  await page.waitForFunction(
    (s) => Math.abs(document.querySelector('[data-testid="audio-player"]').currentTime - s) < 0.5,
    seekTo,
  );
  await page.waitForFunction(
    (s) => Math.abs(Number(document.querySelector('[data-testid="timeline-playhead"]')?.dataset.seconds) - s) < 0.5,
    seekTo,
  );
  await page.mouse.move(0, 0);
  await shot(page, 'result-upload');

  // 4. Recent results: both jobs, newest first, each a link to its result page.
  const recent = page.getByTestId('recent-result');
  const recentIds = await recent.evaluateAll((els) => els.map((el) => el.dataset.jobId));
  assert.deepEqual(recentIds.slice(0, 2), [uploadJob, linkJob], 'recent results, newest first');
  await recent.nth(1).click();
  await page.waitForURL((url) => url.searchParams.get('job') === linkJob);
  assert.equal(await expectResult(page), top, 'a recent result opens its result page');

  // 5. A link the server refuses: its message, in words.
  await page.goto(BASE_URL);
  await page.getByTestId('url-input').fill('https://example.com/song.mp3');
  await page.getByTestId('submit-url').click();
  const error = page.getByTestId('error');
  await error.waitFor();
  assert.equal(await error.getAttribute('data-code'), 'url_not_allowed');
  assert.match(await error.innerText(), /not accepted/);
  const formBox = await page.locator('main > section').first().boundingBox();
  await page.screenshot({
    path: `${SHOTS_DIR}/error-not-allowed.png`,
    clip: { x: 0, y: 0, width: 1100, height: formBox.y + formBox.height + 24 },
  });

  // 6. Phone width: the result page and the Model page fit the screen.
  await page.setViewportSize({ width: 390, height: 844 });
  await page.goto(linkUrl);
  await expectResult(page);
  await expectTimeline(page);
  const overflow = () => page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  const tooWide = () =>
    page.evaluate(() =>
      [...document.querySelectorAll('body *')]
        .filter((el) => el.getBoundingClientRect().right > window.innerWidth + 1 && !el.closest('.table-scroll'))
        .slice(0, 5)
        .map((el) => `${el.tagName}.${el.className?.baseVal ?? el.className} ${Math.round(el.getBoundingClientRect().right)}`),
    );
  assert.ok((await overflow()) <= 0, `no sideways scrolling on a phone; too wide: ${await tooWide()}`);
  await page.getByTestId('result').evaluate((element) => element.scrollIntoView());
  await shot(page, 'phone-result', false);
  await page.getByTestId('nav-model').click();
  await page.getByTestId('confusion-matrix').waitFor();
  assert.ok((await overflow()) <= 0, `the Model page fits a phone (the matrix scrolls in its own box); too wide: ${await tooWide()}`);
  // An unknown job: the server's message names the (long, unbreakable) id, which wraps inside its box.
  await page.goto(`${BASE_URL}/?job=${'0123456789abcdef'.repeat(4)}`);
  const notFound = page.getByTestId('error');
  await notFound.waitFor();
  assert.equal(await notFound.getAttribute('data-code'), 'job_not_found');
  assert.match(await notFound.innerText(), /Job not found/);
  assert.ok((await overflow()) <= 0, `"Job not found" fits a phone; too wide: ${await tooWide()}`);
  const alertBox = await notFound.boundingBox();
  assert.ok(alertBox.x >= 0 && alertBox.x + alertBox.width <= 390, `the alert stays inside the screen: ${JSON.stringify(alertBox)}`);
  await shot(page, 'phone-job-not-found', false);
  // A failed download (a stand-in job): the plain message shows; yt-dlp's own words stay folded, and wrap when opened.
  const rawReason =
    "[generic] song: Unable to download webpage: HTTPSConnection(host='www.youtube.com', port=443): Failed to resolve " +
    "'www.youtube.com' ([Errno -2] Name or service not known) (caused by TransportError(\"HTTPSConnection(host='www.youtube.com'))\")";
  await page.route('**/jobs/failed-demo', (route) =>
    route.fulfill({
      json: {
        id: 'failed-demo', state: 'failed', created_at: '2026-01-01T00:00:00Z', updated_at: '2026-01-01T00:00:05Z',
        source: { kind: 'url', url: `https://www.youtube.com/watch?v=${YOUTUBE_ID}`, filename: null }, result: null,
        error: { code: 'download_failed', message: 'This server could not reach www.youtube.com: it has no network connection.', cause: 'no_network', detail: rawReason },
      },
    }),
  );
  await page.goto(`${BASE_URL}/?job=failed-demo`);
  const failedAlert = page.getByTestId('error');
  await failedAlert.waitFor();
  assert.equal(await failedAlert.getAttribute('data-cause'), 'no_network');
  assert.ok(!(await page.getByTestId('error-detail').isVisible()), "yt-dlp's words are folded away");
  await page.getByText('Technical details').click();
  assert.ok(await page.getByTestId('error-detail').isVisible());
  assert.ok((await overflow()) <= 0, `a failed download's details fit a phone; too wide: ${await tooWide()}`);

  // 7. A YouTube result: the privacy-enhanced embed, driven by postMessage. The job and the player
  //    are stand-ins (no internet here): the player answers "seekTo" as YouTube's does, with its time.
  await page.setViewportSize({ width: 1100, height: 900 });
  const linkJobBody = await (await page.request.get(`${BASE_URL}/jobs/${linkJob}`)).json();
  await page.route('**/jobs/youtube-demo', (route) =>
    route.fulfill({
      json: { ...linkJobBody, id: 'youtube-demo', source: { kind: 'url', url: `https://youtu.be/${YOUTUBE_ID}`, filename: null } },
    }),
  );
  await page.route('https://www.youtube-nocookie.com/**', (route) =>
    route.fulfill({
      contentType: 'text/html',
      body: `<!doctype html><body style="margin:0;background:#111;color:#eee;font:14px sans-serif">stand-in player<script>
        addEventListener('message', (event) => {
          const message = JSON.parse(event.data);
          const reply = (time) => {
            const info = { event: 'infoDelivery', info: { currentTime: time }, id: message.id, channel: 'widget' };
            event.source.postMessage(JSON.stringify(info), event.origin);
          };
          if (message.event === 'listening') reply(0);
          if (message.event === 'command' && message.func === 'seekTo') reply(message.args[0]);
        });
      </script></body>`,
    }),
  );
  await page.goto(`${BASE_URL}/?job=youtube-demo`);
  const frame = page.getByTestId('youtube-player');
  await frame.waitFor();
  assert.ok((await frame.getAttribute('src')).startsWith(`https://www.youtube-nocookie.com/embed/${YOUTUBE_ID}?enablejsapi=1`));
  await page.locator('[data-testid="youtube-player"][data-connected="true"]').waitFor();
  const videoSeek = await clickWindow(page, 3);
  await page.waitForFunction(
    (s) => Math.abs(Number(document.querySelector('[data-testid="timeline-playhead"]')?.dataset.seconds) - s) < 0.01,
    videoSeek,
  );
  await shot(page, 'result-youtube-stand-in');

  // 8. A screened result (a stand-in job: the shipped model may vote with every window): silence at the
  //    start and a window of speech are greyed or hatched and named, not coloured as a genre, and said in words.
  const screened = structuredClone(linkJobBody);
  const zero = screened.result.labels.map(() => 0);
  screened.result.windows = screened.result.windows.map((window, index) =>
    index < 2
      ? { ...window, probabilities: zero, kind: 'silence', music_score: null }
      : index === 3
        ? { ...window, kind: 'not_music', music_score: 0.08 }
        : { ...window, kind: 'music', music_score: 0.97 },
  );
  const screenedTotal = screened.result.windows.length;
  screened.result.window_counts = { music: screenedTotal - 3, silence: 2, not_music: 1 };
  screened.result.loudness_lufs = -9.8;
  await page.route('**/jobs/screened-demo', (route) => route.fulfill({ json: { ...screened, id: 'screened-demo' } }));
  await page.goto(`${BASE_URL}/?job=screened-demo`);
  await page.getByTestId('timeline').waitFor();
  assert.equal(
    await page.getByTestId('voting-note').innerText(),
    `Based on ${screenedTotal - 3} of ${screenedTotal} windows: 2 left out as silence, 1 as speech or noise.`,
  );
  assert.match(await page.getByTestId('loudness').innerText(), /^Loudness −9\.8 LUFS, analysed at −20 LUFS/);
  const segments = page.getByTestId('left-out-segment');
  assert.deepEqual(await segments.evaluateAll((els) => els.map((el) => el.dataset.kind)), ['silence', 'not_music']);
  // Really drawn: the silence stretch is grey (not a genre colour), the speech window filled with the hatch pattern.
  const silenceFill = await segments.nth(0).locator('rect').first().evaluate((el) => getComputedStyle(el).fill);
  assert.ok(!['none', 'rgb(0, 0, 0)', ''].includes(silenceFill), `silence is greyed by the stylesheet, got ${silenceFill}`);
  const hatchFill = await segments.nth(1).locator('rect').first().getAttribute('fill');
  assert.match(hatchFill, /^url\(#.+\)$/, 'speech or noise is hatched');
  const silenceBox = await segments.nth(0).boundingBox();
  assert.ok(silenceBox && silenceBox.width > 20, 'the silence stretch is visible on the timeline');
  await clickWindow(page, 3);
  assert.match(await page.getByTestId('window-left-out').innerText(), /Speech or noise\./);
  await clickWindow(page, 5);
  assert.match(await page.getByTestId('left-out-stretches').innerText(), /^Left out: 0:00–0:06 silence; 0:09–0:12 speech or noise\.$/);
  await page.mouse.move(0, 0);
  await shot(page, 'result-screened-stand-in');
  await page.setViewportSize({ width: 390, height: 844 });
  assert.ok((await overflow()) <= 0, `a screened result fits a phone; too wide: ${await tooWide()}`);

  // 10. A playlist: a podcast feed pasted as a link is sent again as a playlist (the worker found it to be one); the
  // table fills in, the summary counts the genres, the CSV holds every song, a song's result opens from its row.
  const batchPage = await context.newPage();
  batchPage.on('pageerror', (error) => pageErrors.push(String(error)));
  await batchPage.goto(BASE_URL);
  await batchPage.getByTestId('url-input').fill(FEED_URL);
  await batchPage.getByTestId('submit-url').click();
  await batchPage.waitForURL(/[?&]batch=[0-9a-f]+/, { timeout: 60_000 });
  await batchPage.waitForFunction(
    () => document.querySelector('[data-testid="batch-state"]')?.getAttribute('data-state') === 'done',
    null,
    { timeout: 120_000 },
  );
  const rows = batchPage.getByTestId('batch-entry');
  assert.equal(await rows.count(), 3, 'one row per song of the feed');
  assert.deepEqual(await rows.evaluateAll((els) => els.map((el) => el.dataset.state)), ['done', 'done', 'failed']);
  const genres = await batchPage.getByTestId('entry-genre').allInnerTexts();
  assert.ok(genres.slice(0, 2).every((genre) => genre.trim().length > 0), `two genres, got ${genres}`);
  assert.match(await batchPage.getByTestId('batch-summary').innerText(), /failed\s*1/);
  const [download] = await Promise.all([batchPage.waitForEvent('download'), batchPage.getByTestId('download-csv').click()]);
  const csv = (await readFile(await download.path(), 'utf8')).trim().split(/\r\n/);
  assert.equal(csv.length, 4, 'a header and one line per song');
  assert.match(csv[3], /,failed,,,download_failed,/);
  await shot(batchPage, 'batch');
  await rows.first().getByTestId('entry-result').click();
  await expectResult(batchPage);
  assert.match(batchPage.url(), /[?&]job=[0-9a-f]+/);
  await batchPage.close();

  // 9. The API docs: Swagger UI from the service itself; any request to another host is refused, and there is none.
  const elsewhere = [];
  const docsPage = await context.newPage();
  await docsPage.route('**/*', (route) => {
    if (new URL(route.request().url()).origin === new URL(BASE_URL).origin) return route.continue();
    elsewhere.push(route.request().url());
    return route.abort();
  });
  await docsPage.goto(`${BASE_URL}/docs`);
  await docsPage.locator('.swagger-ui .info .title').waitFor({ timeout: 30_000 });
  assert.match(await docsPage.locator('.swagger-ui .info .title').innerText(), /Music Genre Classifier/);
  assert.ok((await docsPage.locator('.opblock').count()) >= 5, 'every operation is listed');
  assert.deepEqual(elsewhere, [], '/docs loads nothing from another host');
  await docsPage.close();

  assert.deepEqual(pageErrors, [], 'no script errors in the page');
  console.log(`browser checks passed (top genre of the clip: ${top}; states seen: ${states.join(' → ')})`);
} finally {
  await browser.close();
}
