// The media domain: a rendered segment's thumbnail for the timeline, cached in the renders folder
// (a media root, so the window reads it through the media protocol, which serves no hidden names).
import { isAbsolute, join, relative } from 'node:path'
import type { IpcHandlers } from '../../shared/ipc'
import { segmentThumbnail } from '../media/thumbnail'
import type { Studio } from './studio'

export function createMediaHandlers(studio: Studio): IpcHandlers['media'] {
  return {
    thumbnail: async ({ segment }) => {
      const inside = relative(studio.rendersDir, segment)
      if (!isAbsolute(segment) || inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
        throw new Error(`${segment} is not a segment in the renders folder ${studio.rendersDir}`)
      }
      const ffmpeg = (await studio.systemSnapshot()).info.ffmpeg?.path
      if (!ffmpeg) throw new Error('thumbnails need ffmpeg, and none was found')
      return { url: studio.mediaUrl(await segmentThumbnail(ffmpeg, segment, join(studio.rendersDir, 'thumbnails'))) }
    }
  }
}
