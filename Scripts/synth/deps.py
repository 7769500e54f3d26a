"""Import third-party modules, installing them with pip on a fresh machine."""
import importlib
import subprocess
import sys


def require(module, package=None):
    try:
        return importlib.import_module(module)
    except ImportError:
        package = package or module
        print(f"convoy-synth: Python module '{module}' is missing; installing '{package}' with pip "
              f"(python3 -m pip install --quiet {package}) ...", file=sys.stderr)
        try:
            subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", package], check=True)
        except (subprocess.CalledProcessError, OSError) as e:
            sys.exit(f"convoy-synth: could not install {package} ({e}); install it yourself: "
                     f"python3 -m pip install {package}")
        importlib.invalidate_caches()
        return importlib.import_module(module)


np = require("numpy")
pyproj = require("pyproj")
