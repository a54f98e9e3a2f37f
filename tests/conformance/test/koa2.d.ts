// The Koa 2 test dependency is installed under an alias; its API is typed like Koa's own.
declare module 'koa2' {
  import Koa from 'koa';
  export default Koa;
}
