# SPDX-License-Identifier: GPL-2.0-or-later
# cmake -DOURS=... -DDEFAULTS=... -DOUT=... -P merge-colorfilters.cmake
# The profile's coloring rules, then the Wireshark installation's default
# ones (a profile's colorfilters file replaces the defaults otherwise).
file(READ "${OURS}" ours)
set(defaults "")
if(EXISTS "${DEFAULTS}")
  file(READ "${DEFAULTS}" defaults)
  set(defaults "# The rules below are this Wireshark installation's defaults (${DEFAULTS}).\n${defaults}")
endif()
get_filename_component(dir "${OUT}" DIRECTORY)
file(MAKE_DIRECTORY "${dir}")
file(WRITE "${OUT}" "${ours}${defaults}")
