// Per-model verdicts: whether each Wan2.2 model runs, runs slowly or won't fit here.
import type { ReactElement } from 'react'
import type { ModelVerdict } from '../../../../shared/doctor'
import { formatDuration } from '../../format'
import { verdictText } from './systemText'

export function Verdicts({ verdicts }: { verdicts: ModelVerdict[] }): ReactElement {
  return (
    <section className="card card-wide" data-testid="system-verdicts">
      <h3 className="card-title">What this machine can render</h3>
      <table className="verdicts">
        <tbody>
          {verdicts.map((v) => (
            <tr key={v.job}>
              <td className="verdict-label">{v.label}</td>
              <td>
                <span className={`verdict verdict-${v.verdict}`}>{verdictText[v.verdict]}</span>
              </td>
              <td className="verdict-time mono">{v.secondsPerClip !== null ? formatDuration(v.secondsPerClip) : '–'}</td>
              <td className="verdict-sentence">{v.sentence}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </section>
  )
}
