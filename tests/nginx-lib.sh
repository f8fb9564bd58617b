# nginx-lib.sh: start Debian's nginx as the shipped cache
# (contrib/nginx/bordercop-cache.conf) in a private directory, for
# tests/test_nginx.sh and bench/fanout.sh.  Sourced; uses $tmp and
# $top_srcdir.
#
# nginx_start API_PORT: the shipped configuration (or $nginx_conf), with its listen port,
# upstream, cache directory and log put under $tmp, in front of a relay
# server that logs every request reaching the API ($tmp/upstream.log)
# and passes it on to 127.0.0.1:API_PORT.  Sets $cache_url, and
# $nocache_url: a plain proxy to the same relay without the cache (the
# baseline: the simulator takes only 64 connections from one address, so
# hundreds of pollers cannot reach it directly).  Returns 1 when nginx
# cannot be started.
# nginx_stop: stop it (the pid it wrote).

nginx_bin=$(command -v nginx 2>/dev/null || { [ -x /usr/sbin/nginx ] && echo /usr/sbin/nginx; })

nginx_start() {
	api_port=$1
	mkdir -p "$tmp/nginx/cache" "$tmp/nginx/tmp"
	: >"$tmp/upstream.log"
	: >"$tmp/access.log"
	tries=0
	while [ $tries -lt 20 ]; do
		tries=$((tries + 1))
		# Two neighbouring ports from the pid and the try.
		port=$(( 20000 + ($$ * 7 + tries * 131) % 20000 ))
		relay=$((port + 1))
		plain=$((port + 2))
		sed -e "s|/var/cache/nginx/bordercop|$tmp/nginx/cache|" \
		    -e "s|/var/log/nginx/bordercop-cache.log|$tmp/access.log|" \
		    -e "s|listen 8481;|listen 127.0.0.1:$port;|" \
		    -e "s|server 127.0.0.1:8480;|server 127.0.0.1:$relay;|" \
		    "${nginx_conf:-$top_srcdir/contrib/nginx/bordercop-cache.conf}" \
		    >"$tmp/nginx/bordercop-cache.conf"
		{
			# Workers as the invoking user: root's would be
			# nobody, who cannot write into $tmp.
			[ "$(id -u)" -eq 0 ] && echo "user root root;"
			cat <<CONF
worker_processes 1;
worker_rlimit_nofile 16384;
pid $tmp/nginx/nginx.pid;
error_log $tmp/nginx/error.log warn;
events { worker_connections 8192; }
http {
	client_body_temp_path $tmp/nginx/tmp/body;
	proxy_temp_path $tmp/nginx/tmp/proxy;
	fastcgi_temp_path $tmp/nginx/tmp/fastcgi;
	uwsgi_temp_path $tmp/nginx/tmp/uwsgi;
	scgi_temp_path $tmp/nginx/tmp/scgi;
	access_log off;
	include $tmp/nginx/bordercop-cache.conf;

	# The relay: one log line per request that reaches the API.
	log_format upstream_req '\$request \$status';
	upstream bordercop_sim { server 127.0.0.1:$api_port; keepalive 8; }
	server {
		listen 127.0.0.1:$relay;
		access_log $tmp/upstream.log upstream_req;
		location / {
			proxy_pass http://bordercop_sim;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
			proxy_buffering off;
		}
	}
	# The baseline: the same path to the API, no cache.
	server {
		listen 127.0.0.1:$plain;
		access_log off;
		location / {
			proxy_pass http://bordercop_api;
			proxy_http_version 1.1;
			proxy_set_header Connection "";
		}
	}
}
CONF
		} >"$tmp/nginx/nginx.conf"
		: >"$tmp/nginx/error.log"
		"$nginx_bin" -e "$tmp/nginx/error.log" -p "$tmp/nginx" \
		    -c "$tmp/nginx/nginx.conf" 2>>"$tmp/nginx/error.log"
		i=0
		while [ $i -lt 50 ] && [ ! -s "$tmp/nginx/nginx.pid" ]; do
			i=$((i + 1))
			sleep 0.1
		done
		if [ -s "$tmp/nginx/nginx.pid" ]; then
			cache_url="http://127.0.0.1:$port"
			nocache_url="http://127.0.0.1:$plain"
			return 0
		fi
		grep -q "in use" "$tmp/nginx/error.log" || break
	done
	cat "$tmp/nginx/error.log" >&2
	return 1
}

nginx_stop() {
	if [ -s "$tmp/nginx/nginx.pid" ]; then
		pid=$(cat "$tmp/nginx/nginx.pid")
		kill -QUIT "$pid" 2>/dev/null
		i=0
		while kill -0 "$pid" 2>/dev/null && [ $i -lt 50 ]; do
			i=$((i + 1))
			sleep 0.1
		done
		kill -KILL "$pid" 2>/dev/null
		rm -f "$tmp/nginx/nginx.pid"
	fi
}
