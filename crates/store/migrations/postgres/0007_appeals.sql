-- Appeals (workspace `protection`): what the legal consultants' list and the hearings' calendar
-- read, projected from the case like the other columns of `cases` and recomputed by `nansen rebuild`.
-- appeal_due: the court's deadline to rule while the appeal is before it; hearing_on: the hearing
-- while the appeal is before the court; chamber: the competent chamber from the court's notice.
ALTER TABLE cases ADD COLUMN appeal_due TEXT;
ALTER TABLE cases ADD COLUMN hearing_on TEXT;
ALTER TABLE cases ADD COLUMN chamber TEXT;
CREATE INDEX cases_appealed ON cases (status, appeal_due);
CREATE INDEX cases_hearing_on ON cases (hearing_on) WHERE hearing_on IS NOT NULL;
