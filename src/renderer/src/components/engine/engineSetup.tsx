// How the checklist names the engine set-up: the Repair button below it (npm run engine:setup runs the same).
export const ENGINE_SETUP = (
  <>
    <strong>Repair</strong> (below, or <code>npm run engine:setup</code>)
  </>
)
