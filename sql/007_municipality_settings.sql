-- 007_municipality_settings.sql — the settings a municipality's administrator
-- keeps on its own page (/admin/innstillinger, cgi-bin/settings.c; DOMAIN.md
-- §2, §4, §6, §9): beside the consent age, how long a consent lasts and the
-- default language (001), how many years a closed log is kept before it is
-- removed (after the archive has its copy), and how many days before an
-- evaluation's date it counts as due on "my logs". The limits are checked
-- here as well as in the form, so no other way in can store a nonsense value.
ALTER TABLE municipality
	ADD COLUMN retention_years TINYINT NOT NULL DEFAULT 5 AFTER consent_valid_years,
	ADD COLUMN evaluation_warn_days SMALLINT NOT NULL DEFAULT 14 AFTER retention_years,
	ADD CONSTRAINT municipality_lang CHECK (default_lang IN ('nb', 'nn')),
	ADD CONSTRAINT municipality_consent_years CHECK (consent_valid_years BETWEEN 1 AND 5),
	ADD CONSTRAINT municipality_retention CHECK (retention_years BETWEEN 1 AND 10),
	ADD CONSTRAINT municipality_evaluation_days CHECK (evaluation_warn_days BETWEEN 0 AND 90);
