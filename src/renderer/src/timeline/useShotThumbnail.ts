// A rendered shot's thumbnail URL (media.thumbnail: its first segment's first frame, cached by main),
// asked once per segment file for the window's life; null before it comes, without a render, or
// when main could not make one (the shot then shows its colour alone, and the reason as a title).
import { useEffect, useState } from 'react'
import { call, errorMessage } from '../api'

type Thumbnail = { url: string | null; problem: string | null }

const asked = new Map<string, Promise<Thumbnail>>()

function thumbnailOf(segment: string): Promise<Thumbnail> {
  let pending = asked.get(segment)
  if (!pending) {
    pending = call('media', 'thumbnail', { segment }).then(
      ({ url }) => ({ url, problem: null }),
      (error: unknown) => ({ url: null, problem: `No thumbnail: ${errorMessage(error)}` })
    )
    asked.set(segment, pending)
  }
  return pending
}

export function useShotThumbnail(segment: string | null): Thumbnail {
  const [thumbnail, setThumbnail] = useState<Thumbnail & { segment: string | null }>({ segment: null, url: null, problem: null })
  useEffect(() => {
    if (!segment) return
    let live = true
    void thumbnailOf(segment).then((answer) => live && setThumbnail({ segment, ...answer }))
    return () => {
      live = false
    }
  }, [segment])
  // A thumbnail of the segment the shot had before is not this one's.
  return thumbnail.segment === segment ? thumbnail : { url: null, problem: null }
}
