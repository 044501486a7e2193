/** An error answered on the wire: `{"__type": type, "message": message}` with an HTTP status. */
export interface WireError {
  status: number
  type: string
  message: string
}
