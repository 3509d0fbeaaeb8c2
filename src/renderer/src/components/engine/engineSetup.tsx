// The command that installs the real engine's environment, as the checklist names it.
export const ENGINE_SETUP = <code>npm run engine:setup</code>
