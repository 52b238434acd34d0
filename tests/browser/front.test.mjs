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
			expect.match(await page.textContent('#kommune-error'), /Velg kommunen din/, "field message says what to do");
			expect.equal(await page.getAttribute('#kommune', 'aria-invalid'), 'true', 'aria-invalid');
			// The summary at the top has the focus, without any script, and its link leads to the field.
			expect.equal(await page.evaluate(() => document.activeElement && document.activeElement.id), 'error-summary',
				'focus on the error summary');
			expect.match(await page.title(), /^Feil: /, 'the title says there is an error');
			await page.locator('#error-summary a').first().click();
			expect.equal(await page.evaluate(() => location.hash), '#kommune', 'the link goes to the field');
			// The language buttons in the header keep to the form's page.
			await page.locator('header').getByRole('button', { name: 'Nynorsk' }).click();
			await page.waitForSelector('html[lang=nn]');
			expect.equal(new URL(page.url()).pathname, '/', 'back on the page with the form');
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
