// helpers.mjs — what the browser journeys share: logging in through the
// development provider as a demo (or newly registered) person, a second
// person in a browser of their own, and synthetic identity numbers.
import { randomInt } from 'node:crypto';

export async function logIn(page, baseUrl, pid) {
	await page.context().clearCookies();
	await page.goto(baseUrl + '/');
	await page.locator('#kommune').selectOption('fjordvik');
	await page.getByRole('button', { name: 'Fortsett' }).click();
	await page.getByRole('button', { name: 'Logg inn med ID-porten' }).click();
	await page.getByLabel('Fødselsnummer').fill(pid);
	await page.getByRole('button', { name: 'Logg inn' }).click();
	await page.waitForURL(baseUrl + '/min-side');
}

// Another person, in a browser of their own (the caller closes its context).
export async function asPerson(page, baseUrl, pid) {
	const context = await page.context().browser().newContext({ locale: 'nb-NO' });
	const other = await context.newPage();
	other.setDefaultTimeout(15000);
	await logIn(other, baseUrl, pid);
	return other;
}

// A random synthetic identity number (month + 80) for someone born between
// the years given (by default an adult, 1960-1999), with both control digits
// right. Individual numbers 500-999 are the ones for births from 2000.
export function syntheticNin(from = 1960, to = 1999) {
	const pad = (n, w) => String(n).padStart(w, '0');
	for (;;) {
		const year = randomInt(from, to + 1);
		const ind = year >= 2000 ? randomInt(500, 1000) : randomInt(0, 500);
		const d = [...`${pad(randomInt(1, 29), 2)}${randomInt(81, 93)}${pad(year % 100, 2)}${pad(ind, 3)}`].map(Number);
		for (const w of [[3, 7, 6, 1, 8, 9, 4, 5, 2], [5, 4, 3, 2, 7, 6, 5, 4, 3, 2]]) {
			const k = 11 - (w.reduce((s, x, i) => s + x * d[i], 0) % 11);
			d.push(k === 11 ? 0 : k);
		}
		if (d[9] !== 10 && d[10] !== 10) return d.join('');
	}
}
