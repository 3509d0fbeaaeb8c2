// Moved to src/main/doctor/report.ts (verdicts run the planner, so they sit above gpu and planner).
// This re-export only keeps src/main/cli/index.ts building until it imports '../doctor/report';
// then delete this file.
// eslint-disable-next-line import-x/no-restricted-paths -- temporary re-export, see above
export { formatDoctorReport } from '../doctor/report'
