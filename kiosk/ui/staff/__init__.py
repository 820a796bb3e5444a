"""Staff mode: sign-in, the review queue, one intake, exports."""
