/*
 * error.c: the words for libleash's status codes.
 */
#include "internal.h"

const char *leash_strerror(int status)
{
	switch (status) {
	case LEASH_OK:
		return "ok";
	case LEASH_EINVAL:
		return "invalid argument";
	case LEASH_ENOMEM:
		return "out of memory";
	case LEASH_ETIMEDOUT:
		return "timed out";
	case LEASH_EFULL:
		return "full";
	case LEASH_EEMPTY:
		return "empty";
	case LEASH_ECLOSED:
		return "closed";
	case LEASH_ECANCELED:
		return "canceled";
	case LEASH_ESYS:
		return "system call failed";
	case LEASH_EBUSY:
		return "threads still alive";
	default:
		return "unknown error";
	}
}
