"""Maps the customer's top-level folders onto the `kiteguard` import root.

pyproject.toml holds the metadata; this file only computes the package list, because
setuptools cannot prefix discovered subpackages from a static table.
"""

from setuptools import Extension, find_packages, setup

ROOTS = {
    "kiteguard": "kiteguard",
    "kiteguard.proxy": "proxy",
    "kiteguard.blocklists": "blocklists",
    "kiteguard.classifiers": "classifiers",
    "kiteguard.installer": "installer",
}

packages = []
for name, folder in ROOTS.items():
    packages.append(name)
    packages += [f"{name}.{sub}" for sub in find_packages(folder)]

# The blocklist matcher's suffix walk in C. Optional: without a C compiler the install still
# succeeds, and the matcher uses the same walk written in Python (a few microseconds slower).
suffix_walk = Extension("kiteguard.blocklists._suffixwalk", ["blocklists/_suffixwalk.c"], optional=True)

setup(packages=packages, package_dir=ROOTS, ext_modules=[suffix_walk])
