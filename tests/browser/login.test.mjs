// login.test.mjs — logging in with ID-porten (the development provider) in a
// real browser, in Bokmål and in Nynorsk, then reading a child's log, seeing
// who has read it, and logging out; all without JavaScript on our pages.
async function logIn(page, baseUrl, pid, buttons) {
	await page.goto(baseUrl + '/');
	await page.locator('#kommune').selectOption('fjordvik');
	await page.getByRole('button', { name: buttons.next }).click();
	await page.getByRole('button', { name: buttons.login }).click();
	// At the provider: type the identity number, as with BankID's first step.
	await page.getByLabel('Fødselsnummer').fill(pid);
	await page.getByRole('button', { name: 'Logg inn' }).click();
	await page.waitForURL(baseUrl + '/min-side');
}

export const tests = [
	{
		name: 'a guardian logs in (Bokmål), reads the log, sees who read it, logs out',
		fn: async ({ page, baseUrl, expect, people }) => {
			await logIn(page, baseUrl, people['Kari Fjelltun'], { next: 'Fortsett', login: 'Logg inn med ID-porten' });
			expect.match(await page.textContent('h1'), /Min side/, 'my page');
			expect.match(await page.textContent('header.site'), /Kari Fjelltun/, 'name in the header');
			await page.getByRole('link', { name: 'Emma Fjelltun' }).click();
			expect.match(await page.textContent('h1'), /Emma Fjelltun/, 'the log');
			expect.match(await page.textContent('main'), /Stafettholder/, 'holder shown');
			await page.getByRole('link', { name: 'Se hvem som har lest loggen' }).click();
			expect.match(await page.textContent('ul.readers'), /Kari Fjelltun/, 'own read listed');
			await page.getByRole('button', { name: 'Logg ut', exact: true }).click();
			// Our session is gone; the ID token goes to the provider in a form
			// post from a button (no JavaScript), never in a URL.
			expect.match(await page.textContent('h1'), /Du er logget ut av Stafett/, 'logged out here');
			expect.equal(new URL(page.url()).search, '', 'no token in the address');
			await page.getByRole('button', { name: 'Logg ut av ID-porten' }).click();
			// The development provider asks before it ends its own session,
			// unless its session cookie is gone already: here it shares the
			// host 127.0.0.1 with us, and our Clear-Site-Data cleared it.
			await page.waitForLoadState();
			const confirm = page.getByRole('button', { name: 'Yes, sign me out' });
			if (await confirm.count()) await confirm.click();
			await page.waitForURL(/\/logget-ut(\?|$)/);
			expect.match(await page.textContent('h1'), /Du er logget ut/, 'logged out');
			await page.goto(baseUrl + '/min-side');
			expect.equal(new URL(page.url()).pathname, '/', 'back at the front page');
		},
	},
	{
		name: 'a guardian logs in (Nynorsk)',
		locale: 'nn-NO',
		fn: async ({ page, baseUrl, expect, people }) => {
			await logIn(page, baseUrl, people['Per Fjelltun'], { next: 'Hald fram', login: 'Logg inn med ID-porten' });
			expect.equal(await page.getAttribute('html', 'lang'), 'nn', 'html lang');
			expect.match(await page.textContent('h1'), /Mi side/, 'my page in Nynorsk');
			expect.match(await page.textContent('main'), /barnet ditt/, 'a guardian addressed in Nynorsk');
		},
	},
];
