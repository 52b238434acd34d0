// invitation.test.mjs — the whole invitation in a real browser (Bokmål):
// the holder invites someone from Statped on her own form, the mailer sends
// it to the development SMTP server, the link is read out of the delivered
// mail (MAIL_DIR, its files as the server kept them), and the invited
// person, in a browser of her own, opens it, logs in with ID-porten as
// herself, accepts, and lands on her first view of the log. No JavaScript.
import { randomInt } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { logIn, syntheticNin } from './helpers.mjs';

// The link in the first delivered mail to address: quoted-printable's soft
// line breaks undone, the token's characters need no more.
async function linkFromMail(address, baseUrl) {
	const dir = process.env.MAIL_DIR;
	if (!dir) throw new Error('MAIL_DIR is not set: the mail folder of the stack');
	const link = new RegExp(`${baseUrl.replace(/[.:/]/g, '\\$&')}/invitasjon/[A-Za-z0-9_-]{43}`);
	for (let i = 0; i < 150; i++) {
		for (const f of readdirSync(dir).filter((n) => n.endsWith('.eml'))) {
			const raw = readFileSync(join(dir, f), 'latin1').replace(/=\r\n/g, '');
			if (!new RegExp(`^To: .*<${address}>`, 'm').test(raw)) continue;
			const m = raw.match(link);
			if (m) return m[0];
		}
		await new Promise((r) => setTimeout(r, 200));
	}
	throw new Error(`no invitation reached ${address}`);
}

export const tests = [
	{
		name: 'a holder invites someone outside, who accepts from the link in the mail and sees the log',
		fn: async ({ page, baseUrl, expect, people }) => {
			await logIn(page, baseUrl, people['Marte Haugland']);
			await page.getByRole('link', { name: 'Emma Fjelltun' }).first().click();
			const logPath = new URL(page.url()).pathname;
			await page.getByRole('link', { name: 'Inviter eller fjern aktører' }).click();
			const sfx = randomInt(100000, 999999);
			const nin = syntheticNin();
			const address = `lesepedagog-${sfx}@statped.example`;
			await page.fill('#ext-given_name', 'Åse');
			await page.fill('#ext-family_name', `Lesepedagog-${sfx}`);
			await page.fill('#ext-nin', nin);
			await page.fill('#ext-organisation', 'Statped sørøst');
			await page.fill('#ext-email', address);
			await page.selectOption('#ext-unit', { label: 'PPT Fjordvik' });
			await page.fill('#ext-task', 'Veileder barnehagen om språk');
			await page.locator('form[action$="/aktor/ekstern"] button[type="submit"]').click();
			expect.match(await page.textContent('.ds-alert[data-color="success"][role="status"]'), /Invitasjonen er sendt/, 'told it was sent');
			expect.match(await page.textContent('.invitations'), new RegExp(`Åse Lesepedagog-${sfx}`), 'the invitation is listed');

			const link = await linkFromMail(address, baseUrl);
			const context = await page.context().browser().newContext({ locale: 'nb-NO' });
			const them = await context.newPage();
			them.setDefaultTimeout(15000);
			try {
				await them.goto(link);
				expect.equal(new URL(them.url()).pathname, '/invitasjon', 'the token left the address bar');
				expect.match(await them.textContent('main'), /Marte Haugland, Fjordvik kommune, har invitert deg/, 'who invites');
				expect.ok(!(await them.textContent('main')).includes('Emma'), 'nothing about the child before accepting');
				await them.getByRole('button', { name: 'Logg inn med ID-porten' }).click();
				await them.getByLabel('Fødselsnummer').fill(nin);
				await them.getByRole('button', { name: 'Logg inn' }).click();
				await them.waitForURL(baseUrl + '/invitasjon');
				await them.getByRole('button', { name: 'Godta invitasjonen' }).click();
				await them.waitForURL(new RegExp(`${logPath}\\?lagret=aktor-godtatt$`));
				expect.match(await them.textContent('.ds-alert[data-color="success"][role="status"]'), /Du har godtatt invitasjonen/, 'told she takes part');
				expect.match(await them.textContent('h1'), /Emma Fjelltun/, 'her first view of the log');
				expect.match(await them.textContent('#actors'), new RegExp(`Åse Lesepedagog-${sfx}, PPT Fjordvik: Veileder barnehagen om språk`), 'herself among the actors');
			} finally {
				await context.close();
			}
			await page.reload();
			expect.match(await page.textContent('.invitations'), /Godtatt/, 'the holder sees it accepted');
		},
	},
];
