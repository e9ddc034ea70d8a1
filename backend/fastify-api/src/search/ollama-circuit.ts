/**
 * Remembers that Ollama just failed, so the next requests go straight to the fallback instead of
 * each paying a timeout. After `coolDownMs` one request tries Ollama again.
 */
export class OllamaCircuit {
  private openUntil = 0;
  private lastError: string | undefined;

  constructor(
    private readonly coolDownMs: number,
    private readonly now: () => number = Date.now,
  ) {}

  /** Whether Ollama should be tried now. */
  get closed(): boolean {
    return this.now() >= this.openUntil;
  }

  recordFailure(reason: string): void {
    this.openUntil = this.now() + this.coolDownMs;
    this.lastError = reason;
  }

  recordSuccess(): void {
    this.openUntil = 0;
    this.lastError = undefined;
  }

  /** For health details: why Ollama is being skipped, if it is. */
  state(): { open: boolean; lastError?: string } {
    return this.closed
      ? { open: false }
      : { open: true, ...(this.lastError && { lastError: this.lastError }) };
  }
}
