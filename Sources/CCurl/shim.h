#include <curl/curl.h>
/* The multi loop waits on its sockets with epoll and is woken through an eventfd (Linux). */
#include <sys/epoll.h>
#include <sys/eventfd.h>
