"""Coaching pages: the member's sharing and notes, and the coach's desk."""
