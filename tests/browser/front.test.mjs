// front.test.mjs — the front page in a real browser: choose a municipality,
// switch language, and reach the accessibility statement, without JavaScript.
export const tests = [
	{
		name: 'front page in Bokmål: choose a municipality',
		fn: async ({ page, baseUrl, expect }) => {
			const res = await page.goto(baseUrl + '/');
			expect.equal(res.status(), 200, 'status');
			expect.equal(await page.getAttribute('html', 'lang'), 'nb', 'html lang');
			expect.match(await page.textContent('h1'), /Stafettlogg/, 'heading');
			// The select has a visible label (accessible name).
			const select = page.getByLabel('Velg kommunen din');
			await select.selectOption('fjordvik');
			await page.getByRole('button', { name: 'Fortsett' }).click();
			await page.waitForURL(baseUrl + '/');
			expect.match(await page.textContent('section.chosen h2'), /Fjordvik kommune/, 'chosen municipality');
			await page.getByRole('link', { name: 'Tilgjengelighetserklæring' }).click();
			expect.match(await page.textContent('h1'), /Tilgjengelighetserklæring/, 'statement heading');
		},
	},
	{
		name: 'an empty choice gets a message at the field',
		fn: async ({ page, baseUrl, expect }) => {
			await page.goto(baseUrl + '/');
			await page.getByRole('button', { name: 'Fortsett' }).click();
			expect.match(await page.textContent('#kommune-error'), /Feltet må fylles ut/, 'field message');
			expect.equal(await page.getAttribute('#kommune', 'aria-invalid'), 'true', 'aria-invalid');
		},
	},
	{
		name: 'Nynorsk from the browser, then English by choice',
		locale: 'nn-NO',
		fn: async ({ page, baseUrl, expect }) => {
			await page.goto(baseUrl + '/');
			expect.equal(await page.getAttribute('html', 'lang'), 'nn', 'html lang');
			expect.match(await page.textContent('label[for=kommune]'), /Vel kommunen din/, 'label');
			await page.getByLabel('Språk').selectOption('en');
			await page.getByRole('button', { name: 'Byt språk' }).click();
			await page.waitForSelector('html[lang=en]');
			expect.match(await page.textContent('label[for=kommune]'), /Choose your municipality/, 'label in English');
		},
	},
	{
		name: 'usable on a phone-sized screen',
		fn: async ({ page, baseUrl, expect }) => {
			await page.setViewportSize({ width: 360, height: 740 });
			await page.goto(baseUrl + '/');
			const width = await page.evaluate(() => document.documentElement.scrollWidth);
			expect.ok(width <= 360, `no horizontal scrolling (scrollWidth ${width})`);
		},
	},
];
