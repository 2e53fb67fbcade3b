/* Names and messages of pn_err codes. */
#include <stddef.h>

#include "peernet/err.h"

const char *pn_strerror(int err)
{
    switch (err) {
    case PN_OK:
        return "success";
#define PN_ERR_MSG_(name, value, msg)                                                              \
    case value:                                                                                    \
        return msg;
        PN_ERRORS_ALL(PN_ERR_MSG_)
#undef PN_ERR_MSG_
    default:
        return "unknown error";
    }
}

const char *pn_errname(int err)
{
    switch (err) {
    case PN_OK:
        return "PN_OK";
#define PN_ERR_NAME_(name, value, msg)                                                             \
    case value:                                                                                    \
        return #name;
        PN_ERRORS_ALL(PN_ERR_NAME_)
#undef PN_ERR_NAME_
    default:
        return NULL;
    }
}
