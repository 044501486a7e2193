import type { FSWatcher } from 'node:fs'
import { mkdirSync, watch } from 'node:fs'
import { basename, dirname } from 'node:path'
import type { Stamp } from '../backends/local/store/index.js'
import { sameStamp } from '../backends/local/store/index.js'
import type { ChangeFeed } from './feed.js'
import { Listeners } from './feed.js'

export interface StampedFile {
  /** The registry file. */
  main: string
  /** Its stamp now (inode, size, times), null when it does not exist. */
  stamp(): Stamp
}

/**
 * The local registry's change feed. Every write ends by renaming a new registry file into place
 * (store/journal.ts), so the folder that holds it gets a notification (inotify on Linux) for every
 * committed write, by any process: a CLI command, another serve, this one. The file's stamp then says
 * whether it really changed, so noise (the lock file, editors' temporary files) announces nothing. No
 * polling: an idle registry costs nothing.
 */
export class LocalFileFeed implements ChangeFeed {
  private readonly changes = new Listeners<[]>()
  private readonly errors = new Listeners<[Error]>()
  private readonly watcher: FSWatcher
  private last: Stamp
  private scheduled = false

  constructor(
    private readonly file: StampedFile,
    options: { persistent?: boolean } = {},
  ) {
    const folder = dirname(file.main)
    mkdirSync(folder, { recursive: true })
    this.last = file.stamp()
    const name = basename(file.main)
    this.watcher = watch(folder, { persistent: options.persistent ?? false }, (_event, changed) => {
      if (changed === null || changed === name) this.schedule()
    })
    this.watcher.on('error', (error) => this.errors.emit(error))
  }

  subscribe(listener: () => void): () => void {
    return this.changes.add(listener)
  }

  onError(listener: (error: Error) => void): () => void {
    return this.errors.add(listener)
  }

  /** Notifications come in bursts (rename, then attribute changes): look at the stamp once per burst. */
  private schedule(): void {
    if (this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      const stamp = this.file.stamp()
      if (sameStamp(stamp, this.last)) return
      this.last = stamp
      this.changes.emit()
    })
  }

  close(): void {
    this.watcher.close()
  }
}
