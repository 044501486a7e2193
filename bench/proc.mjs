import { existsSync, readFileSync } from 'node:fs'

/**
 * CPU seconds a process has used (user + system), from Linux's /proc/PID/stat (clock ticks of 10 ms):
 * a server's own cost, whatever else runs on the machine. Undefined where there is no /proc.
 */
export function cpuSeconds(pid) {
  const file = `/proc/${pid}/stat`
  if (!existsSync(file)) return undefined
  const fields = readFileSync(file, 'utf8').split(') ')[1].split(' ')
  return (Number(fields[11]) + Number(fields[12])) / 100
}
