"""Staff: roles and what each may do, PINs, the lockout."""
