// Moved to src/main/doctor/doctor.ts (the doctor probes *and* plans, so it sits above gpu and
// planner). This re-export only keeps src/main/core/studio.ts and src/main/cli/index.ts building
// until they import '../doctor/doctor'; then delete this file.
// eslint-disable-next-line import-x/no-restricted-paths -- temporary re-export, see above
export { doctor, type DoctorOptions } from '../doctor/doctor'
