// Integration tests run as a demo deployment: no real Stripe or Resend is ever reached.
process.env.KINDRED_DEMO = "1";
process.env.NEXTAUTH_SECRET ??= "integration-tests-secret-integration-tests-secret";
