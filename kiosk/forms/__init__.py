"""A4 application documents: a kind's HTML template and the applicant's fields → PDF. No Kivy."""
