// Integration tests run as a demo deployment: no real Stripe or Resend is ever reached.
process.env.KINDRED_DEMO = "1";
process.env.NEXTAUTH_SECRET ??= "integration-tests-secret-integration-tests-secret";
// A fixed master key: the data keys a test file makes are wrapped by it (crypto/vault.ts).
process.env.KINDRED_MASTER_KEY ??= "a".repeat(64);
