"""Drives tgtd through the exchanges libiscsi's tools do not produce (Text continuation,
initiator NOP-Out, Reject of an unknown opcode) so that tgtd's real answers can be captured."""
import socket, sys, time
port=int(sys.argv[1]); mode=sys.argv[2]
s=socket.create_connection(("127.0.0.1",port)); s.settimeout(3)
def pad(b): return b+b'\0'*((4-len(b)%4)%4)
def kv(pairs): return b''.join(k.encode()+b'='+v.encode()+b'\0' for k,v in pairs)
def send(op, flags, rest40, data=b''):
    h=bytearray(48); h[0]=op; h[1]=flags; h[5:8]=len(data).to_bytes(3,'big'); h[8:48]=rest40
    s.sendall(bytes(h)+pad(data))
def recv():
    h=b''
    while len(h)<48:
        c=s.recv(48-len(h))
        if not c: raise EOFError
        h+=c
    dsl=int.from_bytes(h[5:8],'big'); n=(dsl+3)&~3; d=b''
    while len(d)<n: d+=s.recv(n-len(d))
    return h,d[:dsl]
def i32(v): return (v & 0xffffffff).to_bytes(4,'big')
isid=bytes.fromhex('80123456789a')
keys=[('InitiatorName','iqn.2024-01.io.fabricipam:capture'),('SessionType','Discovery' if mode=='disc' else 'Normal')]
if mode!='disc': keys.append(('TargetName','iqn.2024-01.io.fabricipam:disk1'))
keys+=[('HeaderDigest','None'),('DataDigest','None'),('MaxRecvDataSegmentLength','512' if mode=='disc' else '8192')]
rest=bytearray(40); rest[0:6]=isid; rest[8:12]=i32(1); rest[12:14]=b'\0\0'; rest[16:20]=i32(1)
h=bytearray(48)
send(0x43,0x87,bytes(rest),kv(keys))
r,d=recv(); statsn=int.from_bytes(r[24:28],'big'); cmdsn=int.from_bytes(r[28:32],'big')
print('login', r.hex())
if mode=='disc':
    itt=2; ttt=0xffffffff; first=True
    while True:
        rest=bytearray(40); rest[8:12]=i32(itt); rest[12:16]=i32(ttt); rest[16:20]=i32(cmdsn); rest[20:24]=i32(statsn+1)
        send(0x44,0x80,bytes(rest),kv([('SendTargets','All')]) if first else b'')
        first=False
        r,d=recv(); statsn=int.from_bytes(r[24:28],'big')
        print('text', r[:48].hex(), len(d))
        if r[1]&0x80: break
        ttt=int.from_bytes(r[20:24],'big')
    cmdsn+=1
    rest=bytearray(40); rest[8:12]=i32(0x1000); rest[12:16]=i32(0xffffffff); rest[16:20]=i32(cmdsn); rest[20:24]=i32(statsn+1)
    rest[12:16]=i32(0x1234)
    send(0x44,0x80,bytes(rest))   # a Text Request naming a transfer tag the target never gave
    r,d=recv(); print('reject', r.hex(), d.hex()); statsn=int.from_bytes(r[24:28],'big')
else:
    for i in range(2):
        rest=bytearray(40); rest[8:12]=i32(0x1000+i); rest[12:16]=i32(0xffffffff); rest[16:20]=i32(cmdsn); rest[20:24]=i32(statsn+1)
        send(0x40,0x80,bytes(rest),b'ping' if i else b'')
        r,d=recv(); print('nop', r.hex(), d)
    rest=bytearray(40); rest[8:12]=i32(0x2000); rest[16:20]=i32(cmdsn); rest[20:24]=i32(statsn+1)
    send(0x1c,0x80,bytes(rest))   # an opcode RFC 7143 does not define
    r,d=recv(); print('reject', r.hex(), d.hex())
rest=bytearray(40); rest[8:12]=i32(0x3000); rest[16:20]=i32(cmdsn); rest[20:24]=i32(statsn+1)
send(0x46,0x80,bytes(rest))
r,d=recv(); print('logout', r.hex())
