/*
 * banned.h: libc string functions that have caused real overflows in other
 * projects. Include it LAST in every .c file so that any use becomes a
 * compile error; use snprintf, memcpy with checked lengths, or strtoll.
 */
#ifndef RD_BANNED_H
#define RD_BANNED_H

#define BANNED(func) sorry_##func##_is_banned_in_receiptd

#undef strcpy
#define strcpy(x, y) BANNED(strcpy)
#undef strcat
#define strcat(x, y) BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) BANNED(strncpy)
#undef strncat
#define strncat(x, y, n) BANNED(strncat)
#undef sprintf
#define sprintf(...) BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) BANNED(vsprintf)
#undef strtok
#define strtok(x, y) BANNED(strtok)
#undef sscanf
#define sscanf(...) BANNED(sscanf)
#undef atoi
#define atoi(x) BANNED(atoi)
#undef atol
#define atol(x) BANNED(atol)
#undef gets
#define gets(x) BANNED(gets)

#endif
