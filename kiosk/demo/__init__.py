"""Demo data: synthetic intakes and demo answers."""
