// Loads the ops dashboard in headless Debian chromium through playwright-core, reads the
// headline numbers twice a few seconds apart, saves a screenshot, and prints one JSON line:
//   {"first": {...}, "second": {...}, "screenshot": "..."}
// Usage: node ops-dashboard.cjs <dashboard url> <screenshot path> <seconds between readings>
// PLAYWRIGHT_CORE names the installed playwright-core package directory.
'use strict';
const { chromium } = require(process.env.PLAYWRIGHT_CORE);

async function reading(page) {
  return page.evaluate(() => ({
    total: Number(document.getElementById('kpi-total').textContent),
    rate: document.getElementById('kpi-rate').textContent,
    p50: document.getElementById('kpi-p50').textContent,
    p99: document.getElementById('kpi-p99').textContent,
    terminals: Number(document.getElementById('kpi-terminals').textContent),
    stream: document.getElementById('pill-stream').textContent,
    postgres: document.getElementById('pill-postgres').className,
    updated: document.getElementById('updated').textContent,
  }));
}

(async () => {
  const [url, screenshot, seconds] = process.argv.slice(2);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage'],
  });
  try {
    const page = await browser.newPage({ viewport: { width: 1440, height: 900 } });
    const errors = [];
    page.on('pageerror', error => errors.push(String(error)));
    await page.goto(url, { waitUntil: 'domcontentloaded', timeout: 15000 });
    await page.waitForFunction(() => document.getElementById('pill-stream').textContent
      === 'live' && Number(document.getElementById('kpi-total').textContent) > 0,
      null, { timeout: 15000 });
    const first = await reading(page);
    await page.waitForTimeout(Number(seconds) * 1000);
    const second = await reading(page);
    await page.screenshot({ path: screenshot, fullPage: true });
    console.log(JSON.stringify({ first, second, screenshot, errors }));
  } finally {
    await browser.close();
  }
})().catch(error => {
  console.error(error && error.stack || String(error));
  process.exit(1);
});
