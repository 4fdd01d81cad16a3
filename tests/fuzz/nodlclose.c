/* SPDX-License-Identifier: GPL-2.0-or-later
 *
 * nodlclose.c - preloaded after the ASan runtime in sanitizer runs
 * (sanitize.sh, fuzzlib.py): dlclose() does nothing.
 *
 * Wireshark unloads its plugins before exit, and LeakSanitizer checks for
 * leaks at exit: the plugin's frames of a leak report would then read
 * "<unknown module>". With the module kept mapped they read
 * "ike_wire.c:189". Nothing else changes: the process is about to end.
 */
int dlclose(void *handle);

int dlclose(void *handle)
{
    (void)handle;
    return 0;
}
