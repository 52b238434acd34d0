// run.mjs — the real-browser journeys: Playwright (playwright-core) driving
// Debian's Chromium headless against BASE_URL. Runs every *.test.mjs here;
// each exports `tests = [{ name, locale?, fn: async ({ page, baseUrl, expect, people }) => {} }]`.
// Prints "ok - name" / "not ok - name: why" and ends with "N passed, N failed".
import { chromium } from 'playwright-core';
import { readdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { PageStates } from './pages.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const baseUrl = process.env.BASE_URL;
if (!baseUrl) {
	console.error('BASE_URL is required, e.g. BASE_URL=http://127.0.0.1:8080');
	process.exit(2);
}
const artifacts = process.env.BROWSER_ARTIFACTS || '/tmp';
// The demo people's synthetic numbers, by "Given Family", for logging in.
const people = JSON.parse(process.env.DEMO_PEOPLE || '{}');

const expect = {
	equal(actual, expected, msg) {
		if (actual !== expected)
			throw new Error(`${msg || 'not equal'}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`);
	},
	ok(cond, msg) {
		if (!cond) throw new Error(msg || 'expected a true condition');
	},
	match(str, re, msg) {
		if (!re.test(str)) throw new Error(`${msg || 'no match'}: ${JSON.stringify(String(str).slice(0, 200))} !~ ${re}`);
	},
};

// Without the background-networking flags Chromium keeps trying the closed network.
const browser = await chromium.launch({
	executablePath: process.env.CHROMIUM || '/usr/bin/chromium',
	headless: true,
	args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
		'--disable-background-networking', '--disable-component-update', '--disable-sync',
		'--disable-dev-shm-usage'],
});

// Every context a journey opens (asPerson's too) keeps its pages for pages.mjs.
const states = new PageStates(baseUrl);
const newContext = browser.newContext.bind(browser);
browser.newContext = async (options) => {
	const context = await newContext(options);
	states.watch(context);
	return context;
};

let passed = 0, failed = 0;
const files = readdirSync(here).filter((f) => f.endsWith('.test.mjs')).sort();
for (const file of files) {
	const { tests } = await import(join(here, file));
	for (const t of tests) {
		if (process.env.BROWSER_ONLY && !`${file}: ${t.name}`.includes(process.env.BROWSER_ONLY)) continue;
		const context = await browser.newContext({ locale: t.locale || 'nb-NO' });
		const page = await context.newPage();
		page.setDefaultTimeout(15000);
		const errors = [];
		// A form sent back with messages answers 422 on purpose; Chromium logs that too.
		// Only our own pages count: the development provider's pages are not ours.
		page.on('console', (m) => {
			if (m.type() === 'error' && !/status of 422/.test(m.text()) && page.url().startsWith(baseUrl)) errors.push(m.text());
		});
		page.on('pageerror', (e) => errors.push(String(e)));
		const name = `${file.replace('.test.mjs', '')}: ${t.name}`;
		try {
			await Promise.race([
				t.fn({ page, baseUrl, expect, errors, people }),
				new Promise((_, reject) => setTimeout(() => reject(new Error('timed out after 30 s')), 30000)),
			]);
			expect.equal(errors.length, 0, `console errors ${JSON.stringify(errors)}`);
			passed++;
			console.log(`ok - ${name}`);
		} catch (e) {
			failed++;
			const where = (String(e.stack).match(/[a-z_]+\.test\.mjs:\d+/) || [''])[0];
			console.log(`not ok - ${name}: ${e.message.split('\n')[0]}${where ? ` (at ${where})` : ''}`);
			await page.screenshot({ path: join(artifacts, `${name.replace(/[^a-z0-9]+/gi, '_')}.png`), fullPage: true }).catch(() => {});
		}
		await context.close();
	}
}
browser.newContext = newContext;
const only = process.env.BROWSER_ONLY;
if (!only) {
	for (const r of await states.check(browser, process.env.BROWSER_SHOTS ?? join(here, 'shots'))) {
		if (r.error) {
			failed++;
			console.log(`not ok - pages: ${r.name}: ${r.error}`);
		} else {
			passed++;
			console.log(`ok - pages: ${r.name}`);
		}
	}
}
await browser.close();
console.log(`${passed} passed, ${failed} failed`);
process.exit(failed ? 1 : 0);
