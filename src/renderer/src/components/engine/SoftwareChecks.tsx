// The checklist's software lines: Python, the sidecar, the libraries diffusers needs and the GPU runtime.
import type { ReactElement, ReactNode } from 'react'
import type { EngineStatus } from '../../../../shared/ipc'
import { ENGINE_LIBRARIES, type DiffusersDetails } from '../../engineDetails'
import { Check } from './Check'
import { ENGINE_SETUP } from './engineSetup'

const sidecarStateText: Record<EngineStatus['sidecar']['state'], string> = {
  stopped: 'stopped',
  starting: 'starting…',
  ready: 'running',
  crashed: 'crashed'
}

export function SoftwareChecks({ status, details }: { status: EngineStatus; details: DiffusersDetails }): ReactElement {
  const { python, sidecar } = status
  const engine = status.engines.find((candidate) => candidate.id === 'diffusers')
  const versions = details.versions
  const unreported = sidecar.state === 'ready' ? 'not reported by the sidecar' : 'unknown until the sidecar runs'
  const torch = versions?.torch
  const librariesInstalled = ENGINE_LIBRARIES.every((name) => typeof versions?.[name] === 'string')
  // With every package installed, an unavailable engine that never got to ask CUDA failed importing torch.
  const torchImportFailed = typeof torch === 'string' && librariesInstalled && engine?.available === false && details.cudaAvailable === undefined
  const cpuOnlyTorch = details.cudaAvailable !== undefined && details.torchCuda === null

  const pinnedFix = (name: string): ReactNode => {
    const unpinned = details.unpinned?.[name]
    return unpinned ? (
      <>
        The studio is tested with {name} {unpinned.pinned}; {ENGINE_SETUP} installs it.
      </>
    ) : undefined
  }

  return (
    <>
      <Check
        check="python"
        label="Python"
        state={python ? 'ok' : 'missing'}
        fix={
          !python && (
            <>
              Run {ENGINE_SETUP} to create the studio’s engine environment, set <code>WAN_STUDIO_PYTHON</code> to a Python 3 interpreter, or install{' '}
              <code>python3</code>.
            </>
          )
        }
      >
        {python ? (
          <>
            <span className="mono value">{python.path}</span> <span className="muted">· {python.source}</span>
          </>
        ) : (
          'not found'
        )}
      </Check>
      <Check
        check="sidecar"
        label="Sidecar"
        state={sidecar.state === 'ready' ? 'ok' : sidecar.state === 'crashed' ? 'missing' : 'unknown'}
        fix={sidecar.state === 'crashed' && 'It restarts with the next render or Refresh; the log below says why it stopped.'}
      >
        {sidecarStateText[sidecar.state]}
        {sidecar.lastError && <span className="muted"> · {sidecar.lastError}</span>}
      </Check>
      <Check
        check="torch"
        label="torch"
        state={
          torch === undefined ? 'unknown' : torch === null || torchImportFailed ? 'missing' : cpuOnlyTorch || details.unpinned?.torch ? 'warn' : 'ok'
        }
        fix={
          torch === null ? (
            <>Run {ENGINE_SETUP}: it installs torch and the engine’s packages into the studio’s own Python environment.</>
          ) : torchImportFailed ? (
            (engine?.reason ?? <>torch is installed but fails to import; run {ENGINE_SETUP} again.</>)
          ) : cpuOnlyTorch ? (
            <>This is a CPU-only build. Run {ENGINE_SETUP}: it installs the CUDA build that matches your NVIDIA driver.</>
          ) : (
            pinnedFix('torch')
          )
        }
      >
        {torch === undefined ? (
          unreported
        ) : torch === null ? (
          'not installed'
        ) : (
          <>
            <span className="mono">{torch}</span>
            {details.torchCuda !== undefined && (
              <span className="muted"> · {details.torchCuda === null ? 'CPU-only build' : `built for CUDA ${details.torchCuda}`}</span>
            )}
          </>
        )}
      </Check>
      <Check
        check="gpu"
        label="GPU visible to torch"
        state={details.cudaAvailable === undefined ? 'unknown' : details.cudaAvailable ? 'ok' : 'missing'}
        fix={
          details.cudaAvailable === false && (
            <>
              {details.note && <>{details.note}. </>}
              {cpuOnlyTorch ? (
                <>Install the CUDA build of torch (see torch above).</>
              ) : (
                <>
                  Check that the NVIDIA driver is loaded and <code>nvidia-smi</code> lists the GPU (the report below), and that{' '}
                  <code>CUDA_VISIBLE_DEVICES</code> doesn’t hide it.
                </>
              )}
            </>
          )
        }
      >
        {details.cudaAvailable === undefined
          ? torch === null
            ? 'needs torch'
            : unreported
          : details.cudaAvailable
            ? (details.gpus ?? []).join(', ') || 'yes'
            : 'no CUDA GPU'}
      </Check>
      {ENGINE_LIBRARIES.map((name) => {
        const version = versions?.[name]
        return (
          <Check
            key={name}
            check={name}
            label={name}
            state={version === undefined ? 'unknown' : version === null ? 'missing' : details.unpinned?.[name] ? 'warn' : 'ok'}
            fix={version === null ? <>Run {ENGINE_SETUP} to install it.</> : pinnedFix(name)}
          >
            {version === undefined ? unreported : version === null ? 'not installed' : <span className="mono">{version}</span>}
          </Check>
        )
      })}
    </>
  )
}

/** `plannedModel`: the model of the plan in effect; null without a plan, when either may be the one needed. */
