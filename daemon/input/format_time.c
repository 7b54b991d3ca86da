/*
 * format_time: the timestamps log lines carry, parsed strictly (every byte
 * of the field must belong to the time) into UTC. See format_int.h for the
 * forms. Nothing here allocates. UTC is computed here (timegm() is slow);
 * the local time zone, which RFC 3164 times need (§4.1.2: the sender's
 * local time), is asked once per hour of log time, not per line: glibc
 * looks at /etc/localtime on every mktime().
 */
#include "config.h"

#include <string.h>
#include <time.h>

#include "input/format_int.h"

static const char months[12][4] = {
	"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec",
};

/* n digits at s as a number, or -1. */
static int
digits(const char *s, size_t n)
{
	int v = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (s[i] - '0');
	}
	return v;
}

/*
 * A date "YYYY?MM?DD" at d and a time "HH?MM?SS" at h into tm; the caller
 * has checked the separators. A field without its digits is negative.
 */
static void
date_time(const char *d, const char *h, struct tm *tm)
{
	tm->tm_year = digits(d, 4) - 1900;
	tm->tm_mon = digits(d + 5, 2) - 1;
	tm->tm_mday = digits(d + 8, 2);
	tm->tm_hour = digits(h, 2);
	tm->tm_min = digits(h + 3, 2);
	tm->tm_sec = digits(h + 6, 2);
}

static int
month(const char *s)
{
	for (int i = 0; i < 12; i++)
		if (memcmp(s, months[i], 3) == 0)
			return i;
	return -1;
}

static bool
valid_tm(const struct tm *tm)
{
	static const int mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };

	return tm->tm_mon >= 0 && tm->tm_mon < 12 && tm->tm_mday >= 1 &&
	       tm->tm_mday <= mdays[tm->tm_mon] && tm->tm_hour >= 0 && tm->tm_hour < 24 &&
	       tm->tm_min >= 0 && tm->tm_min < 60 && tm->tm_sec >= 0 && tm->tm_sec <= 60 &&
	       tm->tm_year >= 70;
}

/* ".123456" at s (up to len bytes): nanoseconds, and how many bytes it took. */
static size_t
fraction(const char *s, size_t len, long *nsec)
{
	size_t i = 1;
	long scale = 100000000;

	*nsec = 0;
	if (len < 2 || (s[0] != '.' && s[0] != ',') || s[1] < '0' || s[1] > '9')
		return 0;
	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		*nsec += (s[i] - '0') * scale;
		scale /= 10;
	}
	return i;
}

/* Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's days_from_civil). */
static int64_t
days_from_civil(int64_t y, unsigned m, unsigned d)
{
	int64_t era;
	unsigned yoe, doy, doe;

	y -= m <= 2;
	era = (y >= 0 ? y : y - 399) / 400;
	yoe = (unsigned)(y - era * 400);
	doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static bool
leap(int year)
{
	return (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
}

/* tm (validated) as seconds since the epoch, UTC. */
static time_t
utc_seconds(const struct tm *tm)
{
	return (time_t)(days_from_civil(tm->tm_year + 1900, (unsigned)tm->tm_mon + 1,
					(unsigned)tm->tm_mday) * 86400 +
			tm->tm_hour * 3600 + tm->tm_min * 60 + tm->tm_sec);
}

static bool
utc(struct tm *tm, long nsec, long offset_s, struct timespec *t)
{
	if (!valid_tm(tm) || (tm->tm_mon == 1 && tm->tm_mday == 29 && !leap(tm->tm_year + 1900)))
		return false;
	t->tv_sec = utc_seconds(tm) - offset_s;
	t->tv_nsec = nsec;
	return true;
}

/*
 * Local time tm as UTC seconds: the zone's offset for that hour is asked
 * of mktime() once and kept (a DST change inside the hour is seen at the
 * next hour).
 */
static time_t
local_seconds(struct tm *tm)
{
	static __thread int64_t last_hour = INT64_MIN;
	static __thread time_t last_offset;
	time_t as_utc = utc_seconds(tm), t;
	int64_t hour = as_utc / 3600;

	if (hour != last_hour) {
		struct tm copy = *tm;

		copy.tm_isdst = -1;
		t = mktime(&copy);
		if (t == (time_t)-1)
			return (time_t)-1;
		last_offset = as_utc - t;
		last_hour = hour;
	}
	return as_utc - last_offset;
}

/* "Z", "+01:00", "+0100" or nothing at s[0..len): the offset in seconds. */
static bool
zone(const char *s, size_t len, long *offset_s)
{
	int h, m;

	*offset_s = 0;
	if (len == 0 || (len == 1 && (s[0] == 'Z' || s[0] == 'z')))
		return true;
	if (s[0] != '+' && s[0] != '-')
		return false;
	if (len == 6 && s[3] == ':') {
		h = digits(s + 1, 2);
		m = digits(s + 4, 2);
	} else if (len == 5) {
		h = digits(s + 1, 2);
		m = digits(s + 3, 2);
	} else {
		return false;
	}
	if (h < 0 || m < 0 || h > 23 || m > 59)
		return false;
	*offset_s = (s[0] == '-' ? -1 : 1) * (h * 3600L + m * 60L);
	return true;
}

bool
fw__time_rfc3339(const char *s, size_t len, struct timespec *t)
{
	struct tm tm = { 0 };
	long nsec, off;
	size_t i;

	if (len < 19 || s[4] != '-' || s[7] != '-' || (s[10] != 'T' && s[10] != 't' && s[10] != ' ') ||
	    s[13] != ':' || s[16] != ':')
		return false;
	date_time(s, s + 11, &tm);
	i = 19 + fraction(s + 19, len - 19, &nsec);
	return zone(s + i, len - i, &off) && utc(&tm, nsec, off, t);
}

bool
fw__time_clf(const char *s, size_t len, struct timespec *t)
{
	struct tm tm = { 0 };
	long off;

	/* 04/Dec/2026:14:37:17 +0100 */
	if (len != 26 || s[2] != '/' || s[6] != '/' || s[11] != ':' || s[14] != ':' || s[17] != ':' ||
	    s[20] != ' ')
		return false;
	tm.tm_mday = digits(s, 2);
	tm.tm_mon = month(s + 3);
	tm.tm_year = digits(s + 7, 4) - 1900;
	tm.tm_hour = digits(s + 12, 2);
	tm.tm_min = digits(s + 15, 2);
	tm.tm_sec = digits(s + 18, 2);
	return zone(s + 21, 5, &off) && utc(&tm, 0, off, t);
}

bool
fw__time_epoch(const char *s, size_t len, struct timespec *t)
{
	long long v = 0;
	long nsec = 0;
	size_t i = 0;

	for (; i < len && s[i] >= '0' && s[i] <= '9'; i++) {
		if (i >= 12)
			return false;
		v = v * 10 + (s[i] - '0');
	}
	/* Seconds since 2001 up to 2286: a smaller or larger number is not a time. */
	if (i < 10 || (i < len && fraction(s + i, len - i, &nsec) != len - i))
		return false;
	t->tv_sec = (time_t)v;
	t->tv_nsec = nsec;
	return true;
}

bool
fw__time_rfc3164(const char *s, size_t len, const struct timespec *now, struct timespec *t)
{
	static __thread time_t now_hour = -1;
	static __thread int now_year;
	struct tm tm = { 0 };
	time_t sec, now_sec = now->tv_sec;

	/* "Dec  4 14:37:17": the day is space-padded (RFC 3164 §4.1.2). */
	if (len != 15 || s[3] != ' ' || s[6] != ' ' || s[9] != ':' || s[12] != ':')
		return false;
	tm.tm_mon = month(s);
	tm.tm_mday = s[4] == ' ' ? digits(s + 5, 1) : digits(s + 4, 2);
	tm.tm_hour = digits(s + 7, 2);
	tm.tm_min = digits(s + 10, 2);
	tm.tm_sec = digits(s + 13, 2);
	if (now_sec / 3600 != now_hour) {
		struct tm now_tm;

		localtime_r(&now_sec, &now_tm);
		now_year = now_tm.tm_year;
		now_hour = now_sec / 3600;
	}
	tm.tm_year = now_year;
	if (!valid_tm(&tm))
		return false;
	/* No year: the last such time that is not more than a day ahead of now. */
	while (tm.tm_mon == 1 && tm.tm_mday == 29 && !leap(tm.tm_year + 1900))
		tm.tm_year--;
	sec = local_seconds(&tm);
	if (sec != (time_t)-1 && sec > now_sec + 86400) {
		tm.tm_year--;
		while (tm.tm_mon == 1 && tm.tm_mday == 29 && !leap(tm.tm_year + 1900))
			tm.tm_year--;
		sec = local_seconds(&tm);
	}
	if (sec == (time_t)-1)
		return false;
	t->tv_sec = sec;
	t->tv_nsec = 0;
	return true;
}

bool
fw__time_w3c(const char *date, size_t date_len, const char *time_, size_t time_len,
	     struct timespec *t)
{
	struct tm tm = { 0 };
	long nsec;

	if (date_len != 10 || date[4] != '-' || date[7] != '-' || time_len < 8 || time_[2] != ':' ||
	    time_[5] != ':')
		return false;
	date_time(date, time_, &tm);
	if (8 + fraction(time_ + 8, time_len - 8, &nsec) != time_len)
		return false;
	return utc(&tm, nsec, 0, t);
}

/*
 * The hour of the last nginx time read: its text ("2026/12/04 14") and its
 * start as UTC seconds. The lines of a log share their hour, so most of
 * them parse only the minutes and seconds; the zone's offset is the one
 * local_seconds() keeps for that hour anyway.
 */
static __thread char nginx_hour[13];
static __thread time_t nginx_hour_sec;
static __thread bool nginx_hour_set;

/*
 * nginx's error log: ngx_log_error_core writes "2026/12/04 14:37:17 [error] ",
 * the server's local time (ngx_cached_err_log_time), then the level.
 */
bool
fw_format_nginx_error_prefix(const char *s, size_t len, struct timespec *t, const char **level,
			     size_t *level_len)
{
	struct tm tm = { 0 };
	time_t sec;

	if (len < 22 || s[4] != '/' || s[7] != '/' || s[10] != ' ' || s[13] != ':' || s[16] != ':' ||
	    s[19] != ' ' || s[20] != '[')
		return false;
	if (t && nginx_hour_set && memcmp(s, nginx_hour, sizeof nginx_hour) == 0) {
		int min = digits(s + 14, 2), second = digits(s + 17, 2);

		if (min < 0 || second < 0)
			return false;
		if (min >= 60 || second > 60)
			return false;   /* as valid_tm() */
		t->tv_sec = nginx_hour_sec + min * 60 + second;
		t->tv_nsec = 0;
		if (level)
			*level_len = fw_format_nginx_error_level(s, len, level);
		return true;
	}
	date_time(s, s + 11, &tm);
	if (tm.tm_year < -1900 || tm.tm_mon < -1 || tm.tm_mday < 0 || tm.tm_hour < 0 ||
	    tm.tm_min < 0 || tm.tm_sec < 0)
		return false;
	if (t) {
		if (!valid_tm(&tm) || (sec = local_seconds(&tm)) == (time_t)-1)
			return false;
		t->tv_sec = sec;
		t->tv_nsec = 0;
		memcpy(nginx_hour, s, sizeof nginx_hour);
		nginx_hour_sec = sec - tm.tm_min * 60 - tm.tm_sec;
		nginx_hour_set = true;
	}
	if (level)
		*level_len = fw_format_nginx_error_level(s, len, level);
	return true;
}

size_t
fw_format_nginx_error_level(const char *s, size_t len, const char **level)
{
	/* the level word, closed by "] " within a few bytes; else none */
	const char *end = memchr(s + 21, ']', len - 21 < 10 ? len - 21 : 10);

	*level = s + 21;
	return end && (size_t)(end - s) + 1 < len && end[1] == ' ' ? (size_t)(end - *level) : 0;
}

bool
fw__time_any(const char *s, size_t len, struct timespec *t)
{
	return fw__time_rfc3339(s, len, t) || fw__time_clf(s, len, t) || fw__time_epoch(s, len, t);
}
