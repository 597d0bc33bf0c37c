// The demo site seen by a real browser, the cache closest to the user: Debian's headless Chromium driven by
// puppeteer-core (no browser download). Run by `dotnet cake --target=Browser`, which starts the demo and passes
// its address: node check.mjs http://127.0.0.1:PORT. Prints one line per check; exits 1 if any failed.
import puppeteer from 'puppeteer-core';

const base = process.argv[2];
if (!base) {
  console.error('usage: node check.mjs http://127.0.0.1:PORT');
  process.exit(2);
}

let failures = 0;
function check(ok, what, detail) {
  console.log(`${ok ? 'ok' : 'FAIL'} - ${what}${ok ? '' : `: ${detail}`}`);
  if (!ok) failures++;
}

const browser = await puppeteer.launch({
  executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
  headless: true,
  // As root (a CI container) Chromium refuses to start with its sandbox.
  args: ['--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
});
try {
  const page = await browser.newPage();

  // A per-view page cached for 15 minutes: the second visit never leaves the browser.
  const first = await page.goto(`${base}/foo/42/`);
  const firstBody = await first.text();
  const again = await page.goto(`${base}/foo/42/`);
  check(first.status() === 200 && !first.fromCache(), 'the first visit is fetched', `${first.status()}, fromCache ${first.fromCache()}`);
  check(again.fromCache() && (await again.text()) === firstBody, 'the second visit is served from the browser cache',
    `fromCache ${again.fromCache()}`);

  // A reload revalidates: Chromium sends the stored validators and the demo answers 304, no body.
  const reload = await page.reload();
  const sent = reload.request().headers();
  check('if-none-match' in sent || 'if-modified-since' in sent, 'the reload sends If-None-Match / If-Modified-Since',
    JSON.stringify(sent));
  check(reload.status() === 304, 'the reload is answered 304 Not Modified', `status ${reload.status()}`);

  // The inbox varies on Cookie: switching users never shows the previous user's inbox from the cache.
  const inboxOf = async (user) => {
    await page.goto(`${base}/login?user=${user}`);
    return page.goto(`${base}/inbox`);
  };
  const bob = await inboxOf('bob');
  const bobText = await bob.text();
  check(bobText.includes('inbox of bob'), "bob sees his inbox", bobText);
  const bobAgain = await page.goto(`${base}/inbox`);
  check(bobAgain.fromCache() && (await bobAgain.text()) === bobText, "bob's second look is served from the browser cache",
    `fromCache ${bobAgain.fromCache()}`);
  const eve = await inboxOf('eve');
  const eveText = await eve.text();
  check(eveText.includes('inbox of eve') && !eve.fromCache(), "after switching to eve, eve sees her own inbox, fetched",
    `${eveText.trim()}, fromCache ${eve.fromCache()}`);
} finally {
  await browser.close();
}
console.log(failures === 0 ? 'browser check: all passed' : `browser check: ${failures} failed`);
process.exit(failures === 0 ? 0 : 1);
