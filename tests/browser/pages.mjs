// pages.mjs — every page state the journeys reach, checked again afterwards
// at 1280 and 390 px: axe-core finds no WCAG 2.1 A/AA violation, and nothing
// scrolls sideways. A journey's pages are kept as the browser got them (the
// HTML of each load, GET or the answer to a POST), so a state reached only by
// a form with mistakes or as one particular person is checked too, without
// sending anything twice. Replayed with the real stylesheets from the stack.
// Also takes the README's screenshots at 390 px into shots/.
import AxeBuilder from '@axe-core/playwright';
import { createHash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';

// One state per kind of page: its path with ids as #, its language, whether
// it shows a form's mistakes, and what can be done from it (its links and
// forms, ids as #). Two people seeing the same page differently are two states.
function stateKey(url, html) {
	const path = new URL(url).pathname.replace(/\d+/g, '#');
	const lang = (html.match(/<html lang="([a-z]+)"/) || [])[1] || '?';
	const errors = html.includes('ds-error-summary') ? 'errors' : '';
	const targets = [...html.matchAll(/(?:href|action)="([^"]*)"/g)]
		.map((m) => m[1].replace(/\d+/g, '#')).filter((t) => t.startsWith('/'));
	const hash = createHash('sha1').update([...new Set(targets)].sort().join(' ')).digest('hex').slice(0, 10);
	return `${path} ${lang} ${errors} ${hash}`;
}

export class PageStates {
	constructor(baseUrl) {
		this.baseUrl = baseUrl;
		this.states = new Map(); // key -> { url, html, key }
	}

	// Keeps each page this context loads from our site.
	watch(context) {
		const keep = async (page) => {
			try {
				// The address and the document read together, in the page: read
				// apart, a journey that has gone on meanwhile would pair one
				// page's address with the next one's content.
				const [url, doc] = await page.evaluate(() => [location.href, document.documentElement.outerHTML]);
				if (!url.startsWith(this.baseUrl)) return;
				const html = '<!DOCTYPE html>\n' + doc;
				const address = url.split('#')[0];
				const key = stateKey(address, html);
				// A page that goes on by itself (a meta refresh to the login
				// provider) is checked as it stands, without going on.
				const still = html.replace(/<meta http-equiv="refresh"[^>]*>/gi, '');
				if (!this.states.has(key)) this.states.set(key, { url: address, html: still, key });
			} catch {
				/* the page went on before it could be read: its next load is kept */
			}
		};
		const attach = (page) => page.on('load', () => keep(page));
		context.pages().forEach(attach);
		context.on('page', attach);
	}

	// Shows a kept state in page: its document as kept (matched by the whole
	// address, not as a glob), everything else from the stack. False if what
	// the page shows is not that document.
	async replay(page, s) {
		const same = (u) => u.href === s.url;
		const serve = (route) => route.request().resourceType() === 'document'
			? route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: s.html })
			: route.continue();
		await page.route(same, serve);
		await page.goto(s.url);
		await page.unroute(same, serve);
		const title = (s.html.match(/<title>([^<]*)<\/title>/) || [])[1];
		return (await page.evaluate(() => document.documentElement.outerHTML.match(/<title>([^<]*)<\/title>/)?.[1])) === title;
	}

	// Replays every kept state at both widths. Returns [{ name, error? }].
	async check(browser, shotsDir) {
		const results = [];
		const violations = [], sideways = [], dangling = [];
		// The README's pictures: the holder's log page, a guardian at the
		// first step of consenting, the log in plain words.
		const shots = {
			'log': { path: /^\/logg\/#$/, best: (html) => html.includes('/rediger"') && html.includes('class="measure"') },
			'consent': { path: /^\/logg\/#\/samtykke$/, best: (html) => html.includes('Steg 1 av 2') },
			'plain': { path: /^\/logg\/#\/enkel$/, best: (html) => html.includes('class="plain measures"') },
		};
		const shot = {};
		for (const width of [1280, 390]) {
			const context = await browser.newContext({ viewport: { width, height: 900 }, javaScriptEnabled: true });
			const page = await context.newPage();
			for (const s of this.states.values()) {
				if (!(await this.replay(page, s))) {
					violations.push(`${s.key} @${width}: the kept page could not be shown again`);
					continue;
				}
				let result;
				try {
					result = await new AxeBuilder({ page })
						.withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa']).analyze();
				} catch (e) {
					violations.push(`${s.key} @${width}: could not be checked (${e.message.split('\n')[0]})`);
					continue;
				}
				for (const v of result.violations)
					violations.push(`${s.key} @${width}: ${v.id} (${v.nodes.length}: ${v.nodes[0].target.join(' ')})`);
				// Each link of the error summary leads to an element on the page.
				if (width === 1280) {
					const missing = await page.evaluate(() => [...document.querySelectorAll('#error-summary a[href^="#"]')]
						.map((a) => a.getAttribute('href').slice(1)).filter((id) => !document.getElementById(id)));
					for (const id of missing) dangling.push(`${s.key}: #${id}`);
				}
				const over = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
				if (over > 0) {
					const culprit = await page.evaluate(() => {
						const w = window.innerWidth;
						const wide = [...document.querySelectorAll('main *, header *, footer *')]
							.filter((e) => e.getBoundingClientRect().right > w + 1);
						const e = wide[wide.length - 1];
						return e ? `${e.tagName.toLowerCase()}${e.id ? '#' + e.id : ''}${e.className ? '.' + String(e.className).split(' ').join('.') : ''}` : '?';
					});
					sideways.push(`${s.key} @${width}: ${over} px too wide (${culprit})`);
				}
				if (width === 390 && shotsDir) {
					const path = new URL(s.url).pathname.replace(/\d+/g, '#');
					for (const [name, want] of Object.entries(shots))
						if (want.path.test(path) && s.key.includes(' nb ') && !s.key.includes('errors')
							&& (!shot[name] || !want.best(shot[name].html) || want.best(s.html))) shot[name] = s;
				}
			}
			if (width === 390 && shotsDir) {
				mkdirSync(shotsDir, { recursive: true });
				for (const [name, s] of Object.entries(shot)) {
					await this.replay(page, s);
					await page.screenshot({ path: join(shotsDir, `${name}-390.png`), fullPage: true });
				}
			}
			await context.close();
		}
		const n = this.states.size;
		results.push({ name: `axe-core: no WCAG 2.1 A/AA violation on ${n} page states at 1280 and 390 px`,
			error: violations.length ? `${violations.length} violations: ${violations.slice(0, 8).join('; ')}` : null });
		results.push({ name: `no page scrolls sideways at 390 px (${n} page states, also at 1280)`,
			error: sideways.length ? sideways.slice(0, 12).join('; ') : null });
		results.push({ name: `every link of an error summary leads to its field (${n} page states)`,
			error: dangling.length ? dangling.slice(0, 12).join('; ') : null });
		results.push({ name: 'the README\'s screenshots at 390 px: log page, consent page, plain words',
			error: shotsDir && Object.keys(shot).length < 3 ? `only ${Object.keys(shot).join(', ')} reached` : null });
		return results;
	}
}
