def seed_demo() -> bool:
    return False
