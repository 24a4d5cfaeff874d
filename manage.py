#!/usr/bin/env python
from careertips.cli import main

if __name__ == "__main__":
    main()
